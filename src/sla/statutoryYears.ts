import { getDayDetail, getSolarDateFromLunar, getSolarTermDate, isWorkday as chineseDaysWorkday } from 'chinese-days';
import { addDays } from './timeZone';

/** Where a year's holidays come from: a loaded State Council notice, `chinese-days`' data, or the computed fallback. */
export type CalendarSource = 'notice' | 'chinese-days' | 'fallback';

/** A year's holidays and make-up working days (调休) as the State Council announced them. */
export interface YearNotice {
  /** The notice, e.g. 国务院办公厅关于2027年部分节假日安排的通知. */
  source: string;
  holidays: string[];
  workdays: string[];
}

/** Notices by year (`"2027"`). */
export type YearNotices = Record<string, YearNotice>;

export interface NamedDay {
  date: string;
  name: string;
}

const yearsWithData = new Map<number, boolean>();

/** Jan 1 (元旦) is a named holiday in every year `chinese-days` has data for, and in no other. */
export function chineseDaysHasYear(year: number): boolean {
  let known = yearsWithData.get(year);
  if (known === undefined) {
    known = getDayDetail(`${year}-01-01`).name.includes('元旦');
    yearsWithData.set(year, known);
  }
  return known;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const lunarToSolar = (year: number, month: number, day: number): string => getSolarDateFromLunar(`${year}-${pad(month)}-${pad(day)}`).date;

const fallbackCache = new Map<number, NamedDay[]>();

/**
 * The statutory holidays of 全国年节及纪念日放假办法 (as revised in 2024, 13 days) for `year`, without
 * the bridging days and make-up working days only the State Council's yearly notice fixes:
 * 元旦 1 day, 春节 4 (除夕 to 初三), 清明 1 (the solar term), 劳动节 2, 端午 1, 中秋 1, 国庆 3.
 */
export function statutoryHolidays(year: number): NamedDay[] {
  let days = fallbackCache.get(year);
  if (!days) {
    const springFestival = lunarToSolar(year, 1, 1);
    days = [
      { date: `${year}-01-01`, name: '元旦' },
      ...[-1, 0, 1, 2].map((offset) => ({ date: addDays(springFestival, offset), name: '春节' })),
      { date: getSolarTermDate(year, 4, 'pure_brightness'), name: '清明节' },
      { date: `${year}-05-01`, name: '劳动节' },
      { date: `${year}-05-02`, name: '劳动节' },
      { date: lunarToSolar(year, 5, 5), name: '端午节' },
      { date: lunarToSolar(year, 8, 15), name: '中秋节' },
      ...[1, 2, 3].map((day) => ({ date: `${year}-10-0${day}`, name: '国庆节' })),
    ];
    fallbackCache.set(year, days);
  }
  return days;
}

export function isWeekend(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

/** Which data the calendar uses for `year`. */
export function calendarSource(notices: YearNotices, year: number): CalendarSource {
  if (notices[String(year)]) return 'notice';
  return chineseDaysHasYear(year) ? 'chinese-days' : 'fallback';
}

/**
 * Statutory working days by year: a loaded notice wins, then `chinese-days`, then — for a year
 * neither covers — weekdays minus the computed statutory holidays (make-up days unknown).
 */
export function statutoryWorkdayRule(notices: YearNotices): (date: string) => boolean {
  const sets = new Map<string, { holidays: Set<string>; workdays: Set<string> }>();
  const setsFor = (year: string, notice: YearNotice) => {
    let found = sets.get(year);
    if (!found) {
      found = { holidays: new Set(notice.holidays), workdays: new Set(notice.workdays) };
      sets.set(year, found);
    }
    return found;
  };
  const fallbackSets = new Map<number, Set<string>>();
  return (date) => {
    const yearText = date.slice(0, 4);
    const notice = notices[yearText];
    if (notice) {
      const { holidays, workdays } = setsFor(yearText, notice);
      if (holidays.has(date)) return false;
      if (workdays.has(date)) return true;
      return !isWeekend(date);
    }
    const year = Number(yearText);
    if (chineseDaysHasYear(year)) return chineseDaysWorkday(date);
    let holidays = fallbackSets.get(year);
    if (!holidays) {
      holidays = new Set(statutoryHolidays(year).map((d) => d.date));
      fallbackSets.set(year, holidays);
    }
    return !isWeekend(date) && !holidays.has(date);
  };
}

export interface CalendarCoverage {
  years: Record<string, CalendarSource>;
  /** Set when a year deadlines can reach (this one or the next) has no announced data. */
  warning?: string;
}

/** The data behind this year and the next; a year on the computed fallback gets a warning saying what to do. */
export function calendarCoverage(notices: YearNotices, currentYear: number): CalendarCoverage {
  const years = [currentYear, currentYear + 1];
  const sources = Object.fromEntries(years.map((year) => [String(year), calendarSource(notices, year)])) as Record<string, CalendarSource>;
  const missing = years.filter((year) => sources[String(year)] === 'fallback');
  if (missing.length === 0) return { years: sources };
  return {
    years: sources,
    warning:
      `no announced holiday data for ${missing.join(', ')}: working days there use the statutory holidays computed ` +
      '(元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆) without bridging or make-up days (调休). Load the State Council notice ' +
      'with `npm run calendar:import -- <notice.txt>` (or upgrade chinese-days) and restart.',
  };
}
