import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * config/sla.json with every urgency's deadlines replaced by these calendar-clock durations ("2h",
 * "2d") and no overrides: for tests whose figures are worked out on a plain clock.
 */
export function calendarSla(durations: { accept: string; finish: string; verify: string }): Record<string, unknown> {
  const base = JSON.parse(readFileSync(join(__dirname, '../../config/sla.json'), 'utf8')) as Record<string, unknown>;
  const stage = (duration: string) => ({ duration, clock: 'calendar' });
  const policy = { accept: stage(durations.accept), finish: stage(durations.finish), verify: stage(durations.verify) };
  return { ...base, policies: { emergency: policy, key: policy, daily: policy }, overrides: [] };
}
