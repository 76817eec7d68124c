import { readFileSync } from 'node:fs';
import { getDayDetail } from 'chinese-days';
import { addDays, calendarCoverage, calendarFor, defaultSlaConfig, parseHolidayNotice, statutoryHolidays, statutoryWorkdayRule, type YearNotices } from '../../../src/sla';

const config = defaultSlaConfig();
const bj = (local: string): Date => new Date(`${local}:00+08:00`);
const NOTICE_2026 = readFileSync('test/fixtures/holiday-notice-2026.txt', 'utf8');

function datesOf(year: number): string[] {
  const days: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) days.push(d);
  return days;
}

describe('the calendar beyond chinese-days: 2027 and later', () => {
  const calendar = calendarFor(config);

  test('2027-01-01 (元旦) is not a working day, though chinese-days has no 2027 data', () => {
    expect(getDayDetail('2027-01-01').work).toBe(true); // what chinese-days alone says
    expect(calendar.isWorkday('2027-01-01')).toBe(false);
    expect(calendar.isWorkday('2027-01-04')).toBe(true);
  });

  test('computes 2027 春节 (除夕 to 初三), 清明, 端午, 中秋 and the fixed-date holidays', () => {
    expect(statutoryHolidays(2027).map((d) => `${d.date} ${d.name}`)).toEqual([
      '2027-01-01 元旦',
      '2027-02-05 春节',
      '2027-02-06 春节',
      '2027-02-07 春节',
      '2027-02-08 春节',
      '2027-04-05 清明节',
      '2027-05-01 劳动节',
      '2027-05-02 劳动节',
      '2027-06-09 端午节',
      '2027-09-15 中秋节',
      '2027-10-01 国庆节',
      '2027-10-02 国庆节',
      '2027-10-03 国庆节',
    ]);
    for (const day of ['2027-02-05', '2027-02-08', '2027-06-09', '2027-09-15']) expect(calendar.isWorkday(day)).toBe(false);
  });

  test('the computation agrees with the announced data of 2025 and 2026: every computed holiday is a day off there', () => {
    const announced = statutoryWorkdayRule({});
    for (const year of [2025, 2026]) expect(statutoryHolidays(year).filter((d) => announced(d.date))).toEqual([]);
  });

  test('a 10-working-day deadline started in mid-December steps over 2027-01-01', () => {
    const due = calendar.addWorkingTime(bj('2026-12-21T09:00'), 10 * calendar.workingDayMs);
    // 12-21..12-25, 12-28..12-31 are 9 working days; 01-01 is off; the 10th ends on Monday 01-04.
    expect(due).toEqual(bj('2027-01-04T18:00'));
  });

  test('knows which years have announced data, and warns for a year that has none', () => {
    expect(calendarCoverage({}, 2026)).toEqual({ years: { 2026: 'chinese-days', 2027: 'fallback' }, warning: expect.stringContaining('2027') });
    expect(calendarCoverage({}, 2026).warning).toContain('npm run calendar:import');
    expect(calendarCoverage({}, 2025)).toEqual({ years: { 2025: 'chinese-days', 2026: 'chinese-days' } });
  });
});

describe('a State Council notice, loaded for a year', () => {
  test('the 2026 notice gives exactly the days chinese-days has for 2026', () => {
    const { year, notice } = parseHolidayNotice(NOTICE_2026);
    expect(year).toBe(2026);
    expect(notice.source).toBe('国务院办公厅关于2026年部分节假日安排的通知');
    expect(notice.workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    const fromNotice = statutoryWorkdayRule({ 2026: notice });
    const fromChineseDays = statutoryWorkdayRule({});
    expect(datesOf(2026).filter((d) => fromNotice(d) !== fromChineseDays(d))).toEqual([]);
  });

  test('a loaded notice wins over the computed fallback: bridging and make-up days of 2027 count', () => {
    const notices: YearNotices = { 2027: { source: 'test', holidays: [...statutoryHolidays(2027).map((d) => d.date), '2027-02-09'], workdays: ['2027-02-20'] } };
    const calendar = calendarFor({ ...config, statutoryYears: notices });
    expect(calendar.isWorkday('2027-02-09')).toBe(false);
    expect(calendar.isWorkday('2027-02-20')).toBe(true); // a Saturday, 调休
    expect(calendarCoverage(notices, 2026).years).toEqual({ 2026: 'chinese-days', 2027: 'notice' });
    expect(calendarCoverage(notices, 2026).warning).toBeUndefined();
  });

  test('refuses a notice whose days do not add up, whose make-up day is a weekday, or that misses a statutory holiday', () => {
    const broken = NOTICE_2026.replace('共9天', '共8天').replace('2月28日（周六）', '2月27日（周五）').replace('六、中秋节：9月25日（周五）至27日（周日）放假，共3天。', '');
    expect(() => parseHolidayNotice(broken)).toThrow(/共8天[\s\S]*2026-02-27 is not a Saturday or Sunday[\s\S]*中秋节 2026-09-25/);
    expect(() => parseHolidayNotice('关于放假的一些想法')).toThrow(/year is missing/);
    expect(() => parseHolidayNotice('国务院办公厅关于2027年部分节假日安排的通知\n没有内容')).toThrow(/no festival lines/);
  });
});
