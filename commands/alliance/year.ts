import { localYear } from '../../src/sla/timeZone';
import type { AllianceDeps } from './deps';

/** The year an instant belongs to in the alliance's time zone. */
export function yearOf(deps: Pick<AllianceDeps, 'config'>, instant: Date): number {
  return localYear(instant, deps.config.timeZone);
}
