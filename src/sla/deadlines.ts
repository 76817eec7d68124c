import type { Case, DeadlinePlanner } from '../cases/types';
import type { WorkingCalendar } from './calendar';
import { resolvePolicy, type Clock, type Duration, type EscalationTarget, type SlaConfig, type SlaPolicy, type StageKind, type StagePolicy } from './policy';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A working-clock day is one full day of working hours; a calendar day is 24 h. */
export function durationMs(duration: Duration, clock: Clock, calendar: WorkingCalendar): number {
  switch (duration.unit) {
    case 'm': return duration.amount * MINUTE;
    case 'h': return duration.amount * HOUR;
    case 'd': return duration.amount * (clock === 'working' ? calendar.workingDayMs : 24 * HOUR);
  }
}

function advance(from: Date, ms: number, clock: Clock, calendar: WorkingCalendar): Date {
  return clock === 'working' ? calendar.addWorkingTime(from, ms) : new Date(from.getTime() + ms);
}

export function computeDeadline(policy: SlaPolicy, kind: StageKind, start: Date, calendar: WorkingCalendar): Date {
  const stage = policy[kind];
  return advance(start, durationMs(stage.duration, stage.clock, calendar), stage.clock, calendar);
}

export type AlertType = 'reminder' | 'due' | 'overdue' | 'escalation';

export interface PlannedAlert {
  /** Deterministic per stage: `accept:r50`, `accept:due`, `accept:overdue:3`, `accept:esc:1`. */
  key: string;
  kind: StageKind;
  type: AlertType;
  at: Date;
  escalateTo?: EscalationTarget;
}

function alertsForStage(stage: StagePolicy, kind: StageKind, start: Date, due: Date, calendar: WorkingCalendar): PlannedAlert[] {
  const span = stage.clock === 'working' ? calendar.workingTimeBetween(start, due) : due.getTime() - start.getTime();
  const alerts: PlannedAlert[] = stage.reminders.fractions.map((fraction) => ({
    key: `${kind}:r${Math.round(fraction * 100)}`,
    kind,
    type: 'reminder',
    at: advance(start, Math.round(span * fraction), stage.clock, calendar),
  }));
  if (stage.reminders.atDeadline) alerts.push({ key: `${kind}:due`, kind, type: 'due', at: due });
  for (let n = 1; n <= stage.reminders.maxOverdueReminders; n++) {
    alerts.push({ key: `${kind}:overdue:${n}`, kind, type: 'overdue', at: advance(due, n * stage.reminders.overdueEveryMinutes * MINUTE, stage.clock, calendar) });
  }
  stage.escalation.forEach((step, i) => {
    alerts.push({ key: `${kind}:esc:${i + 1}`, kind, type: 'escalation', at: advance(due, step.afterDeadlineMinutes * MINUTE, stage.clock, calendar), escalateTo: step.to });
  });
  return alerts.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * Every reminder and escalation instant of one stage, from `start` to the deadline and past it.
 * Pass `due` when the deadline is no longer the computed one (an approved extension); the job
 * layer should then put the deadline into its job ids so the old plan's jobs are not reused.
 */
export function reminderTimes(policy: SlaPolicy, kind: StageKind, start: Date, calendar: WorkingCalendar, due?: Date): PlannedAlert[] {
  return alertsForStage(policy[kind], kind, start, due ?? computeDeadline(policy, kind, start, calendar), calendar);
}

export function policyForCase(config: SlaConfig, c: Case): SlaPolicy {
  return resolvePolicy(config, {
    urgency: c.parsed.urgency,
    ...(c.parsed.category !== undefined && { category: c.parsed.category }),
    streetId: c.streetId,
  });
}

/** The deadline function the case commands take in their context. */
export function createDeadlinePlanner(config: SlaConfig, calendar: WorkingCalendar): DeadlinePlanner {
  return (c, kind, from) => computeDeadline(policyForCase(config, c), kind, from, calendar);
}
