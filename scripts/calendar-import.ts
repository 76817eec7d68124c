/**
 * npm run calendar:import -- <notice.txt> [--year 2027] [--sla config/sla.json]
 * Reads the State Council's holiday notice for a year (its text as published), validates it and
 * writes its days off and make-up working days to `holidays/YYYY.json` beside the SLA file, where
 * the working-time calendar reads them at the next start.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { holidayDirFor, writeHolidayNotice } from '../config/holidays';
import { HolidayNoticeError, parseHolidayNotice } from '../src/sla/holidayNotice';

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { year: { type: 'string' }, sla: { type: 'string', default: process.env.SLA_CONFIG || 'config/sla.json' } },
  });
  const file = positionals[0];
  if (!file) {
    process.stderr.write('usage: npm run calendar:import -- <notice.txt> [--year 2027] [--sla config/sla.json]\n');
    return 64;
  }
  try {
    const { year, festivals, notice } = parseHolidayNotice(readFileSync(file, 'utf8'), values.year ? Number(values.year) : undefined);
    const path = writeHolidayNotice(holidayDirFor(values.sla), year, notice);
    for (const f of festivals) {
      process.stdout.write(`${f.name}\t${f.from} – ${f.to}\t${f.days}天${f.workdays.length ? `\t上班 ${f.workdays.join(', ')}` : ''}\n`);
    }
    process.stdout.write(`${year}: ${notice.holidays.length} days off, ${notice.workdays.length} make-up working days → ${path}\nRestart the service to use them.\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof HolidayNoticeError)) throw error;
    process.stderr.write(`${error.message}\nNothing was written. Check the notice text (or pass --year) and run again.\n`);
    return 65;
  }
}

process.exitCode = main();
