import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { validateNotice } from '../src/sla/holidayNotice';
import type { YearNotice, YearNotices } from '../src/sla/statutoryYears';
import { ConfigError } from './errors';
import { parseWith, readJsonFile } from './jsonFile';

const YEAR_FILE = /^(\d{4})\.json$/;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like "2027-01-01"');
const noticeFileSchema = z.strictObject({
  year: z.number().int(),
  source: z.string().min(1),
  holidays: z.array(isoDate).min(1),
  workdays: z.array(isoDate),
});

/** Where `npm run calendar:import` writes, and the calendar reads, the notices for an SLA file: `holidays/` beside it. */
export function holidayDirFor(slaConfigPath: string): string {
  return join(dirname(slaConfigPath), 'holidays');
}

/** Reads every `YYYY.json` notice in `dir` (none when it does not exist); a bad file stops the start, naming it. */
export function loadHolidayNotices(dir: string): YearNotices {
  if (!existsSync(dir)) return {};
  const notices: YearNotices = {};
  for (const file of readdirSync(dir).sort()) {
    const year = YEAR_FILE.exec(file)?.[1];
    if (!year) continue;
    const path = join(dir, file);
    const { year: stated, ...notice } = parseWith(noticeFileSchema, readJsonFile(path, 'holiday notice'), path);
    const problems = [...(String(stated) === year ? [] : [`says year ${stated} but is named ${file}`]), ...validateNotice(stated, notice)];
    if (problems.length > 0) throw new ConfigError(problems.map((p) => `${path}: ${p} (re-import the notice with npm run calendar:import)`));
    notices[year] = notice;
  }
  return notices;
}

/** Writes a parsed notice as `dir/YYYY.json` (the file loadHolidayNotices reads) and returns its path. */
export function writeHolidayNotice(dir: string, year: number, notice: YearNotice): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${year}.json`);
  writeFileSync(path, `${JSON.stringify({ year, ...notice }, null, 2)}\n`);
  return path;
}
