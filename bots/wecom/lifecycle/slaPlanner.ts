import { readFileSync } from 'node:fs';
import { ConfigError } from '../../../config/errors';
import type { DeadlinePlanner } from '../../../src/cases';
import { calendarFor, createDeadlinePlanner, parseSlaConfig } from '../../../src/sla';

/** The deadline planner from the SLA table at `path` (SLA_CONFIG); errors name the file. */
export function plannerFromSlaFile(path: string): DeadlinePlanner {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`SLA_CONFIG ${path} cannot be read as JSON: ${(error as Error).message}`]);
  }
  const config = parseSlaConfig(raw);
  return createDeadlinePlanner(config, calendarFor(config));
}
