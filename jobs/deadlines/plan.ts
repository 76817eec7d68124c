import type { Case } from '../../src/cases';
import { policyForCase, reminderTimes, type PlannedAlert, type SlaConfig, type WorkingCalendar } from '../../src/sla';
import { liveSlots, type DeadlineSlot } from './slots';

/** The SLA table and the working-time calendar the engine plans with; replace both to change policy. */
export interface DeadlineRules {
  config: SlaConfig;
  calendar: WorkingCalendar;
}

/** What one slot needs now: alerts to send at once, and when to wake next. */
export interface SlotPlan {
  slot: DeadlineSlot;
  fireNow: PlannedAlert[];
  /** When the slot's job should run: now if something is due, else the next alert; none when all are spent. */
  wakeAt?: Date;
}

/**
 * The timeline key that makes an alert happen once. It names the limit it belongs to (`@due`), so
 * a moved limit (extension, reopening) starts a fresh schedule instead of counting the old one.
 */
export function alertKey(slot: DeadlineSlot, alert: PlannedAlert): string {
  return `${slot.slot}@${slot.due.getTime()}#${alert.key}`;
}

export const DEADLINE_KEY_DETAIL = 'deadlineKey';

export function firedKeys(c: Case): Set<string> {
  const keys = new Set<string>();
  for (const e of c.timeline) {
    const key = e.details[DEADLINE_KEY_DETAIL];
    if (typeof key === 'string') keys.add(key);
  }
  return keys;
}

function lastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T)) return i;
  return -1;
}

/**
 * Reminders (fractions, at the deadline, while overdue) form one track: once a later one went
 * out, earlier ones are moot, and when several are past (Redis lost, workers down) only the latest
 * is sent, so a department gets one message, not a burst. Each escalation step goes to a
 * different audience and is sent once on its own.
 */
export function planSlot(slot: DeadlineSlot, alerts: readonly PlannedAlert[], fired: ReadonlySet<string>, now: Date): SlotPlan {
  const isFired = (a: PlannedAlert) => fired.has(alertKey(slot, a));
  const reminders = alerts.filter((a) => a.type !== 'escalation');
  const pendingReminders = reminders.slice(lastIndex(reminders, isFired) + 1);
  const pendingEscalations = alerts.filter((a) => a.type === 'escalation' && !isFired(a));
  const isPast = (a: PlannedAlert) => a.at.getTime() <= now.getTime();

  const pastReminders = pendingReminders.filter(isPast);
  const latestPast = pastReminders[pastReminders.length - 1];
  const fireNow = [...(latestPast ? [latestPast] : []), ...pendingEscalations.filter(isPast)];
  const future = [...pendingReminders, ...pendingEscalations].filter((a) => !isPast(a)).map((a) => a.at.getTime());
  const wakeAt = fireNow.length > 0 ? now : future.length > 0 ? new Date(Math.min(...future)) : undefined;
  return { slot, fireNow, ...(wakeAt !== undefined && { wakeAt }) };
}

export function alertsFor(c: Case, slot: DeadlineSlot, rules: DeadlineRules): PlannedAlert[] {
  return reminderTimes(policyForCase(rules.config, c), slot.kind, slot.start, rules.calendar, slot.due);
}

/** Plans every live slot of the case. */
export function planCase(c: Case, rules: DeadlineRules, now: Date): SlotPlan[] {
  const fired = firedKeys(c);
  return liveSlots(c).map((slot) => planSlot(slot, alertsFor(c, slot, rules), fired, now));
}
