import type { Env } from '../config';
import { loadSlaConfig } from '../config/sla';
import type { Logger } from '../infra/logger';
import { calendarCoverage, localYear, type CalendarCoverage } from '../src/sla';

/**
 * Which holiday data covers this year and the next. Warns loudly at start when a year deadlines
 * can reach has none announced; /readyz shows the same in its details (it does not fail readiness:
 * deadlines still run on the computed statutory holidays).
 */
export function calendarStatus(env: Env, logger: Logger, now: () => Date = () => new Date()): () => CalendarCoverage {
  const config = loadSlaConfig(env.SLA_CONFIG);
  const coverage = () => calendarCoverage(config.statutoryYears, localYear(now(), config.timeZone));
  const atStart = coverage();
  if (atStart.warning) logger.warn({ calendar: atStart.years }, `working-time calendar: ${atStart.warning}`);
  return coverage;
}
