import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../../config/errors';
import { loadSlaConfig } from '../../config/sla';
import { calendarFor, statutoryHolidays } from '../../src/sla';

const run = promisify(execFile);

function slaDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sla-holidays-'));
  copyFileSync('config/sla.json', join(dir, 'sla.json'));
  return dir;
}

describe('npm run calendar:import and the notices it writes', () => {
  test('imports a notice into holidays/ beside the SLA file, which the calendar then uses', async () => {
    const dir = slaDir();
    const notice = readFileSync('test/fixtures/holiday-notice-2026.txt', 'utf8').replaceAll('2026', '2027');
    // The 2026 text moved to 2027 is not a valid 2027 notice (weekdays, lunar dates): refused, nothing written.
    writeFileSync(join(dir, 'wrong.txt'), notice);
    const refused = await run('npx', ['tsx', 'scripts/calendar-import.ts', join(dir, 'wrong.txt'), '--sla', join(dir, 'sla.json')]).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 65, stderr: expect.stringContaining('Nothing was written') });
    expect(loadSlaConfig(join(dir, 'sla.json')).statutoryYears).toEqual({});

    const ok = await run('npx', ['tsx', 'scripts/calendar-import.ts', 'test/fixtures/holiday-notice-2026.txt', '--sla', join(dir, 'sla.json')]);
    expect(ok.stdout).toContain('2026: 33 days off, 6 make-up working days');
    const config = loadSlaConfig(join(dir, 'sla.json'));
    expect(config.statutoryYears['2026']).toMatchObject({ source: '国务院办公厅关于2026年部分节假日安排的通知', workdays: expect.arrayContaining(['2026-10-10']) });
    expect(calendarFor(config).isWorkday('2026-10-10')).toBe(true);
  });

  test('a hand-edited notice file that fails the checks stops the start, naming the file', () => {
    const dir = slaDir();
    mkdirSync(join(dir, 'holidays'));
    const holidays = statutoryHolidays(2027).map((d) => d.date).filter((d) => d !== '2027-01-01');
    writeFileSync(join(dir, 'holidays', '2027.json'), JSON.stringify({ year: 2027, source: 'hand-made', holidays, workdays: ['2027-02-10'] }));
    let error: unknown;
    try {
      loadSlaConfig(join(dir, 'sla.json'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toMatch(/2027\.json: make-up working day 2027-02-10 is not a Saturday or Sunday[\s\S]*元旦 2027-01-01/);
  });
});
