import { calendarStatus } from '../../app/calendarStatus';
import { loadEnv } from '../../config';
import { captureLogger, type LogLine } from '../support/capturedLogs';

const env = loadEnv({ MONGODB_URI: 'mongodb://127.0.0.1:1/unused', REDIS_URL: 'redis://127.0.0.1:1' });

describe('the calendar warns at start when a year deadlines can reach has no announced holidays', () => {
  test('in December 2026 (chinese-days ends with 2026): one loud warning naming 2027 and the command to fix it', () => {
    const logs: LogLine[] = [];
    const status = calendarStatus(env, captureLogger(logs), () => new Date('2026-12-02T10:00:00+08:00'));
    expect(status()).toEqual({ years: { 2026: 'chinese-days', 2027: 'fallback' }, warning: expect.stringContaining('npm run calendar:import') });
    expect(logs).toEqual([expect.objectContaining({ level: 40, calendar: { 2026: 'chinese-days', 2027: 'fallback' }, msg: expect.stringMatching(/^working-time calendar: no announced holiday data for 2027/) })]);
  });

  test('in a year fully covered, nothing is logged', () => {
    const logs: LogLine[] = [];
    expect(calendarStatus(env, captureLogger(logs), () => new Date('2025-06-01T10:00:00+08:00'))().warning).toBeUndefined();
    expect(logs).toEqual([]);
  });
});
