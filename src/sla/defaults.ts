import slaJson from '../../config/sla.json';
import { createWorkingCalendar, type StatutoryWorkdayRule, type WorkingCalendar } from './calendar';
import { parseSlaConfig, type SlaConfig } from './policy';
import { statutoryWorkdayRule } from './statutoryYears';

export function defaultSlaConfig(): SlaConfig {
  return parseSlaConfig(slaJson);
}

export function calendarFor(config: SlaConfig, statutoryWorkday?: StatutoryWorkdayRule): WorkingCalendar {
  const calendarConfig = { timeZone: config.timeZone, workingHours: config.workingHours, extraHolidays: config.extraHolidays, extraWorkdays: config.extraWorkdays };
  return createWorkingCalendar(calendarConfig, statutoryWorkday ?? statutoryWorkdayRule(config.statutoryYears));
}
