import type { CaseSummary, RunningClock } from './summary';

/** 红灯 overdue, 黄灯 near the deadline (the share of the time limit used, by default the 80% reminder), else none. */
export type Light = 'red' | 'yellow' | 'none';

export interface LightRule {
  /** Share of a time limit after which the light turns yellow. */
  yellowAt: number;
}

export const DEFAULT_LIGHT_RULE: LightRule = { yellowAt: 0.8 };

/** A limit falling due at `dueMs` is overdue (red) at `now`. */
export function overdue(dueMs: number, now: Date): boolean {
  return now.getTime() > dueMs;
}

export function clockLight(clock: RunningClock, now: Date, rule: LightRule = DEFAULT_LIGHT_RULE): Light {
  const t = now.getTime();
  const due = clock.due.getTime();
  if (overdue(due, now)) return 'red';
  const since = clock.since.getTime();
  const span = due - since;
  if (span <= 0 || t >= since + span * rule.yellowAt) return 'yellow';
  return 'none';
}

/** The worst light of the case's running limits (optionally of one department's only). */
export function caseLight(c: Pick<CaseSummary, 'clocks'>, now: Date, rule: LightRule = DEFAULT_LIGHT_RULE, deptCode?: string): Light {
  let light: Light = 'none';
  for (const clock of c.clocks) {
    if (deptCode !== undefined && clock.deptCode !== deptCode) continue;
    const l = clockLight(clock, now, rule);
    if (l === 'red') return 'red';
    if (l === 'yellow') light = 'yellow';
  }
  return light;
}

/** The earliest running deadline, for sorting by urgency of action. */
export function nextDue(c: Pick<CaseSummary, 'clocks'>): Date | undefined {
  let best: Date | undefined;
  for (const clock of c.clocks) if (!best || clock.due < best) best = clock.due;
  return best;
}
