import { loadSlaConfig } from '../../../config/sla';
import type { DeadlinePlanner } from '../../../src/cases';
import { calendarFor, createDeadlinePlanner } from '../../../src/sla';

/** The deadline planner from the SLA table at `path` (SLA_CONFIG); errors name the file. */
export function plannerFromSlaFile(path: string): DeadlinePlanner {
  const config = loadSlaConfig(path);
  return createDeadlinePlanner(config, calendarFor(config));
}
