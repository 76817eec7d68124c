import { createWorkingCalendar, type WorkingCalendarConfig } from '../../../src/sla/calendar';

const config: WorkingCalendarConfig = {
  timeZone: 'Asia/Shanghai',
  workingHours: [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '18:00' },
  ],
  extraHolidays: [],
  extraWorkdays: [],
};
const calendar = createWorkingCalendar(config);
const HOUR = 3_600_000;
/** A wall-clock time in Beijing. */
const bj = (local: string): Date => new Date(`${local}:00+08:00`);

describe('working calendar (Asia/Shanghai, chinese-days)', () => {
  test('knows the 2026 National Day holiday and its make-up working days', () => {
    for (const day of ['2026-10-01', '2026-10-04', '2026-10-07']) expect(calendar.isWorkday(day)).toBe(false);
    expect(calendar.isWorkday('2026-10-08')).toBe(true);
    expect(calendar.isWorkday('2026-09-20')).toBe(true); // Sunday, 调休
    expect(calendar.isWorkday('2026-10-10')).toBe(true); // Saturday, 调休
    expect(calendar.isWorkday('2026-10-11')).toBe(false);
    expect(calendar.isWorkday('2026-11-21')).toBe(false); // plain Saturday
  });

  test('one working day is the 7.5 h of working hours', () => {
    expect(calendar.workingDayMs).toBe(7.5 * HOUR);
  });

  test('skips the lunch break', () => {
    expect(calendar.addWorkingTime(bj('2026-11-23T11:30'), HOUR)).toEqual(bj('2026-11-23T14:00'));
    expect(calendar.workingTimeBetween(bj('2026-11-23T11:30'), bj('2026-11-23T14:00'))).toBe(HOUR);
  });

  test('skips the weekend', () => {
    expect(calendar.addWorkingTime(bj('2026-11-20T17:00'), 2 * HOUR)).toEqual(bj('2026-11-23T10:00'));
    expect(calendar.workingTimeBetween(bj('2026-11-20T17:00'), bj('2026-11-23T10:00'))).toBe(2 * HOUR);
  });

  test('a start outside working hours counts from the next working period', () => {
    expect(calendar.addWorkingTime(bj('2026-11-23T07:00'), HOUR)).toEqual(bj('2026-11-23T10:00'));
    expect(calendar.addWorkingTime(bj('2026-11-23T21:00'), HOUR)).toEqual(bj('2026-11-24T10:00'));
    expect(calendar.workingTimeBetween(bj('2026-11-23T18:30'), bj('2026-11-24T08:59'))).toBe(0);
  });

  test('a full working day ends at 18:00 when started at 09:00', () => {
    expect(calendar.addWorkingTime(bj('2026-11-23T09:00'), 7.5 * HOUR)).toEqual(bj('2026-11-23T18:00'));
  });

  test('skips the National Day holiday', () => {
    expect(calendar.addWorkingTime(bj('2026-09-30T17:00'), 2 * HOUR)).toEqual(bj('2026-10-08T10:00'));
    expect(calendar.workingTimeBetween(bj('2026-09-30T09:00'), bj('2026-10-08T18:00'))).toBe(15 * HOUR);
  });

  test('works on make-up days (Saturday 2026-10-10, Sunday 2026-09-20)', () => {
    expect(calendar.addWorkingTime(bj('2026-10-09T17:00'), 2 * HOUR)).toEqual(bj('2026-10-10T10:00'));
    expect(calendar.addWorkingTime(bj('2026-09-18T17:00'), 2 * HOUR)).toEqual(bj('2026-09-20T10:00'));
  });

  test('ten working days across National Day', () => {
    expect(calendar.addWorkingTime(bj('2026-09-30T10:00'), 75 * HOUR)).toEqual(bj('2026-10-20T10:00'));
  });

  test('workingTimeBetween is negative when the end is first, and inverts addWorkingTime', () => {
    const start = bj('2026-09-29T15:20');
    const end = calendar.addWorkingTime(start, 13 * HOUR + 17 * 60_000);
    expect(calendar.workingTimeBetween(start, end)).toBe(13 * HOUR + 17 * 60_000);
    expect(calendar.workingTimeBetween(end, start)).toBe(-(13 * HOUR + 17 * 60_000));
  });

  test('configured days override the statutory calendar', () => {
    const local = createWorkingCalendar({ ...config, extraHolidays: ['2026-11-24'], extraWorkdays: ['2026-11-21'] });
    expect(local.isWorkday('2026-11-24')).toBe(false);
    expect(local.isWorkday('2026-11-21')).toBe(true);
    expect(local.addWorkingTime(bj('2026-11-20T17:00'), 2 * HOUR)).toEqual(bj('2026-11-21T10:00'));
    expect(local.addWorkingTime(bj('2026-11-23T17:00'), 2 * HOUR)).toEqual(bj('2026-11-25T10:00'));
  });

  test('the statutory rule can be replaced (deployments outside chinese-days data)', () => {
    const everyDay = createWorkingCalendar(config, () => true);
    expect(everyDay.addWorkingTime(bj('2026-10-01T17:00'), 2 * HOUR)).toEqual(bj('2026-10-02T10:00'));
  });

  test('uses the configured zone, not the server zone', () => {
    const utcCalendar = createWorkingCalendar({ ...config, timeZone: 'UTC' });
    expect(utcCalendar.addWorkingTime(new Date('2026-11-23T17:00:00Z'), 2 * HOUR)).toEqual(new Date('2026-11-24T10:00:00Z'));
    expect(calendar.addWorkingTime(new Date('2026-11-23T09:00:00Z'), 2 * HOUR)).toEqual(bj('2026-11-24T10:00'));
  });
});
