import { readFileSync } from 'node:fs';
import { parseSlaConfig, type SlaConfig } from '../src/sla/policy';
import { ConfigError } from './errors';

/** Reads and validates the deadline policy file (SLA_CONFIG); errors name the file and the bad key. */
export function loadSlaConfig(path: string): SlaConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`SLA_CONFIG ${path} cannot be read as JSON: ${(error as Error).message}`]);
  }
  return parseSlaConfig(raw);
}
