import { parseSlaConfig, type SlaConfig } from '../src/sla/policy';
import { readJsonFile } from './jsonFile';

/** Reads and validates the deadline policy file (SLA_CONFIG); errors name the file and the bad key. */
export function loadSlaConfig(path: string): SlaConfig {
  return parseSlaConfig(readJsonFile(path, 'SLA_CONFIG'));
}
