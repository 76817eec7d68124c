import { isWeekend, statutoryHolidays, type YearNotice } from './statutoryYears';
import { addDays } from './timeZone';

/** One festival line of a notice: 「二、春节：2月15日（…）至23日（…）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。」 */
export interface NoticeFestival {
  name: string;
  from: string;
  to: string;
  days: number;
  workdays: string[];
}

export interface ParsedNotice {
  year: number;
  festivals: NoticeFestival[];
  notice: YearNotice;
}

export class HolidayNoticeError extends Error {
  constructor(readonly problems: string[]) {
    super(`the holiday notice is not valid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'HolidayNoticeError';
  }
}

const TITLE_YEAR = /关于(\d{4})年(?:部分)?节假日安排的通知/;
const FESTIVAL_LINE = /^\s*[一二三四五六七八九十]+、\s*([^：:]{1,8})[：:](.+)$/;
const DATE = /(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日/g;
const ANNOTATION = /（[^）]*）/g;
const DAY_COUNT = /(?:共|放假)(\d{1,2})天/;

const iso = (year: number, month: number, day: number): string => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

function datesIn(text: string, year: number): string[] {
  const dates: string[] = [];
  let month: number | undefined;
  let y = year;
  for (const match of text.matchAll(DATE)) {
    if (match[1]) y = Number(match[1]);
    if (match[2]) month = Number(match[2]);
    if (month === undefined) continue;
    dates.push(iso(y, month, Number(match[3])));
  }
  return dates;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * Reads the State Council's yearly notice (国务院办公厅关于YYYY年部分节假日安排的通知) as published:
 * the title names the year, and each numbered line gives a festival's days off and its make-up
 * working days. Throws HolidayNoticeError listing every problem; see validateNotice for the checks.
 */
export function parseHolidayNotice(text: string, yearHint?: number): ParsedNotice {
  const normalised = text.replaceAll('(', '（').replaceAll(')', '）').replace(/\r/g, '');
  const titleYear = TITLE_YEAR.exec(normalised)?.[1];
  const year = titleYear ? Number(titleYear) : yearHint;
  if (year === undefined) throw new HolidayNoticeError(['the year is missing: the title 「关于2027年部分节假日安排的通知」 names it, or pass --year']);
  const problems: string[] = [];
  const festivals: NoticeFestival[] = [];
  for (const line of normalised.split('\n')) {
    const match = FESTIVAL_LINE.exec(line);
    if (!match) continue;
    const name = (match[1] ?? '').trim();
    const body = (match[2] ?? '').replace(ANNOTATION, '');
    const [offPart, ...rest] = body.split(/放假/);
    const off = datesIn(offPart ?? '', year);
    const count = DAY_COUNT.exec(body);
    if (off.length === 0 || off.length > 2 || !count) {
      problems.push(`「${line.trim()}」: cannot read the days off (expected 「M月D日至D日放假…，共N天」)`);
      continue;
    }
    const from = off[0]!;
    const to = off[1] ?? from;
    const days = Number(count[1]);
    const workdays = /上班/.test(body) ? datesIn(rest.join('放假').split('。').slice(1).join('。'), year) : [];
    festivals.push({ name, from, to, days, workdays });
  }
  if (festivals.length === 0) problems.push('no festival lines found (expected lines like 「一、元旦：1月1日放假1天。」)');
  if (problems.length > 0) throw new HolidayNoticeError(problems);
  const notice: YearNotice = {
    source: (TITLE_YEAR.exec(normalised) ? normalised.split('\n').find((l) => TITLE_YEAR.test(l))?.trim() : undefined) ?? `${year}年部分节假日安排`,
    holidays: festivals.flatMap((f) => Array.from({ length: Math.max(0, daysBetween(f.from, f.to)) }, (_, i) => addDays(f.from, i))).sort(),
    workdays: festivals.flatMap((f) => f.workdays).sort(),
  };
  const invalid = validateNotice(year, notice, festivals);
  if (invalid.length > 0) throw new HolidayNoticeError(invalid);
  return { year, festivals, notice };
}

/**
 * A notice is refused unless: each range is as long as its 「共N天」; every date lies in the year
 * (or the December before it, for a 元旦 that starts then); make-up working days are weekend days
 * and not days off; and every statutory holiday of the year is among the days off.
 */
export function validateNotice(year: number, notice: YearNotice, festivals: NoticeFestival[] = []): string[] {
  const problems: string[] = [];
  for (const f of festivals) {
    const span = daysBetween(f.from, f.to);
    if (span !== f.days) problems.push(`${f.name}: ${f.from} to ${f.to} is ${span} days, the notice says 共${f.days}天`);
  }
  const earliest = `${year - 1}-12-01`;
  const latest = `${year}-12-31`;
  for (const date of [...notice.holidays, ...notice.workdays]) {
    if (Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || date < earliest || date > latest) problems.push(`${date} is not a date of ${year}`);
  }
  const off = new Set(notice.holidays);
  for (const date of notice.workdays) {
    if (!isWeekend(date)) problems.push(`make-up working day ${date} is not a Saturday or Sunday`);
    if (off.has(date)) problems.push(`${date} is both a day off and a make-up working day`);
  }
  for (const statutory of statutoryHolidays(year)) {
    if (!off.has(statutory.date)) problems.push(`${statutory.name} ${statutory.date} (a statutory holiday) is not among the days off`);
  }
  return problems;
}
