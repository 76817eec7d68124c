import { parseSlaConfig, type SlaConfig } from '../src/sla/policy';
import { holidayDirFor, loadHolidayNotices } from './holidays';
import { readJsonFile } from './jsonFile';

/**
 * Reads and validates the deadline policy file (SLA_CONFIG), with the State Council notices
 * imported into `holidays/` beside it; errors name the file and the bad key.
 */
export function loadSlaConfig(path: string): SlaConfig {
  const config = parseSlaConfig(readJsonFile(path, 'SLA_CONFIG'));
  return { ...config, statutoryYears: { ...loadHolidayNotices(holidayDirFor(path)), ...config.statutoryYears } };
}
