import { statutoryWorkdayRule } from './statutoryYears';
import { addDays, localDate, zonedInstant } from './timeZone';

export interface WorkingPeriod {
  /** `HH:MM` in the calendar's zone. */
  start: string;
  end: string;
}

export interface WorkingCalendarConfig {
  timeZone: string;
  workingHours: WorkingPeriod[];
  /** Days off beyond the statutory ones (`YYYY-MM-DD`); wins over everything. */
  extraHolidays: string[];
  /** Extra working days (`YYYY-MM-DD`), e.g. a local make-up day. */
  extraWorkdays: string[];
}

export interface WorkingCalendar {
  readonly timeZone: string;
  /** Working time in one full working day (7.5 h for 09:00–12:00 + 13:30–18:00). */
  readonly workingDayMs: number;
  isWorkday(date: string): boolean;
  addWorkingTime(start: Date, durationMs: number): Date;
  /** Working time in [a, b); negative when b is before a. */
  workingTimeBetween(a: Date, b: Date): number;
}

/** Statutory working days: weekends, public holidays and 调休 make-up days (see statutoryYears.ts). */
export type StatutoryWorkdayRule = (date: string) => boolean;

/** `chinese-days` where it has the year, else the computed statutory holidays; no loaded notices. */
export const chineseStatutoryWorkday: StatutoryWorkdayRule = statutoryWorkdayRule({});

export function minuteOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

// Beyond this a duration or span is surely a configuration mistake, not a deadline.
const MAX_DAYS_SCANNED = 3 * 366;

export function createWorkingCalendar(config: WorkingCalendarConfig, statutoryWorkday: StatutoryWorkdayRule = chineseStatutoryWorkday): WorkingCalendar {
  const periods = config.workingHours.map((p) => [minuteOfDay(p.start), minuteOfDay(p.end)] as const);
  const workingDayMs = periods.reduce((sum, [s, e]) => sum + (e - s) * 60_000, 0);
  if (workingDayMs <= 0) throw new Error('working hours must contain some time');
  const holidays = new Set(config.extraHolidays);
  const workdays = new Set(config.extraWorkdays);
  const intervalsCache = new Map<string, Array<[number, number]>>();

  function isWorkday(date: string): boolean {
    if (holidays.has(date)) return false;
    if (workdays.has(date)) return true;
    return statutoryWorkday(date);
  }

  function intervals(date: string): Array<[number, number]> {
    let found = intervalsCache.get(date);
    if (!found) {
      found = isWorkday(date)
        ? periods.map(([s, e]) => [zonedInstant(date, s, config.timeZone).getTime(), zonedInstant(date, e, config.timeZone).getTime()])
        : [];
      intervalsCache.set(date, found);
    }
    return found;
  }

  function addWorkingTime(start: Date, durationMs: number): Date {
    if (durationMs < 0) throw new RangeError('addWorkingTime needs a duration of zero or more');
    let remaining = durationMs;
    const cursor = start.getTime();
    let date = localDate(start, config.timeZone);
    for (let scanned = 0; scanned < MAX_DAYS_SCANNED; scanned++, date = addDays(date, 1)) {
      for (const [s, e] of intervals(date)) {
        if (e <= cursor) continue;
        const from = Math.max(s, cursor);
        if (remaining <= e - from) return new Date(from + remaining);
        remaining -= e - from;
      }
    }
    throw new RangeError(`no working time found within ${MAX_DAYS_SCANNED} days of ${start.toISOString()}`);
  }

  function workingTimeBetween(a: Date, b: Date): number {
    if (b.getTime() < a.getTime()) return -workingTimeBetween(b, a);
    let total = 0;
    const last = localDate(b, config.timeZone);
    let date = localDate(a, config.timeZone);
    for (let scanned = 0; scanned < MAX_DAYS_SCANNED; scanned++, date = addDays(date, 1)) {
      for (const [s, e] of intervals(date)) total += Math.max(0, Math.min(e, b.getTime()) - Math.max(s, a.getTime()));
      if (date === last) return total;
    }
    throw new RangeError(`span from ${a.toISOString()} to ${b.toISOString()} is longer than ${MAX_DAYS_SCANNED} days`);
  }

  return { timeZone: config.timeZone, workingDayMs, isWorkday, addWorkingTime, workingTimeBetween };
}
