import { formatChinaTime } from '../../src/chinaTime';
import { changeDecision, describeChanges, editDecision, seatsToGiveUp, type ActivityChanges } from '../../src/alliance/activityChanges';
import { refuse } from '../../src/alliance/refusals';
import type { Activity, Participant, Signup } from '../../src/alliance/types';
import type { ActivityNotice, AllianceDeps } from './deps';
import type { Outcome } from './outcome';
import { activityNotFound, loadActivity, promoteNext } from './signUp';
import { yearOf } from './year';

function formatter(deps: Pick<AllianceDeps, 'config'>): (d: Date) => string {
  return (d) => formatChinaTime(d, 'brief', deps.config.timeZone);
}

const active = (signups: readonly Signup[]) => signups.filter((s) => s.withdrawnAt === undefined);

async function tellEach(deps: AllianceDeps, signups: readonly Signup[], text: (p: Participant, s: Signup) => string, key: (p: Participant) => string, about: ActivityNotice): Promise<void> {
  for (const signup of signups) {
    const participant = await deps.repo.participant(signup.participantId);
    if (participant) await deps.notifier.tell(participant, text(participant, signup), key(participant), about);
  }
}

export interface EditResult {
  activity: Activity;
  /** Seated participants moved to the waiting list by a capacity cut. */
  waitlisted: string[];
  /** Waiting participants seated by a capacity rise. */
  promoted: string[];
}

/**
 * The organiser changes the time, place or capacity of a 哨令 before it starts. Everyone signed up
 * hears what changed; a cut below the seats taken moves the latest sign-ups to the waiting list, a
 * rise seats those waiting; the reminders follow the new start.
 */
export async function editActivity(deps: AllianceDeps, activityId: string, changes: ActivityChanges, by: string): Promise<Outcome<EditResult>> {
  const before = await loadActivity(deps, activityId);
  if (!before) return activityNotFound(activityId);
  const now = deps.clock();
  const decision = editDecision(before, changes, now);
  if (!decision.ok) return decision;
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as ActivityChanges;
  const after: Activity = { ...before, ...defined, revision: (before.revision ?? 0) + 1 };
  await deps.repo.saveActivity(after, yearOf(deps, after.startsAt));

  const seated = active(await deps.repo.signupsOf(after.id)).filter((s) => s.seat !== undefined);
  const giveUp = seatsToGiveUp(seated, after.capacity);
  const waitlisted: string[] = [];
  for (const signup of giveUp) {
    const position = await deps.repo.moveToWaitlist(after, signup);
    waitlisted.push(signup.participantId);
    const participant = await deps.repo.participant(signup.participantId);
    if (participant) await deps.notifier.tell(participant, `「${after.title}」名额调整为 ${after.capacity} 人，您的名额已转为候补第 ${position} 位；有人取消时按顺序递补并通知您`, `al-cut:${after.id}:${after.revision}:${participant.id}`, { kind: 'waitlisted', activity: after });
  }
  const gaveUp = new Set(waitlisted);
  for (const kept of seated.filter((s) => !gaveUp.has(s.participantId) && (s.seat ?? 0) > after.capacity)) await deps.repo.renumberSeat(after, kept, now);
  const promoted: string[] = [];
  if (giveUp.length === 0) {
    for (let next = await promoteNext(deps, after, now); next !== undefined; next = await promoteNext(deps, after, now)) promoted.push(next);
  }

  const what = describeChanges(before, after, formatter(deps));
  if (what !== '') {
    const others = active(await deps.repo.signupsOf(after.id)).filter((s) => !gaveUp.has(s.participantId));
    await tellEach(deps, others, () => `【哨令变更】「${after.title}」${what}，请留意`, (p) => `al-changed:${after.id}:${after.revision}:${p.id}`, { kind: 'changed', activity: after });
    await deps.notifier.tellOrganiser(after, `已修改「${after.title}」：${what}（${by}）`, `al-org-changed:${after.id}:${after.revision}`);
  }
  if (after.startsAt.getTime() !== before.startsAt.getTime()) {
    await deps.reminders.cancel(before);
    await deps.reminders.schedule(after);
  }
  return { ok: true, activity: after, waitlisted, promoted };
}

/** 撤销哨令 before it starts: everyone signed up (seated or waiting) is told, the reminders go. */
export async function cancelActivity(deps: AllianceDeps, activityId: string, reason: string, by: string): Promise<Outcome<{ activity: Activity; told: number }>> {
  const before = await loadActivity(deps, activityId);
  if (!before) return activityNotFound(activityId);
  const now = deps.clock();
  const decision = changeDecision(before, now);
  if (!decision.ok) return decision;
  if (reason.trim() === '') return refuse('invalid_activity', '请填写取消的原因');
  const after: Activity = { ...before, cancelledAt: now, cancelledBy: by, cancelReason: reason };
  await deps.repo.saveActivity(after, yearOf(deps, after.startsAt));
  await deps.reminders.cancel(after);
  const signedUp = active(await deps.repo.signupsOf(after.id));
  await tellEach(deps, signedUp, () => `【哨令取消】「${after.title}」（${formatter(deps)(after.startsAt)}，${after.venue.name}）已取消：${reason}。感谢您的报到`, (p) => `al-cancelled:${after.id}:${p.id}`, { kind: 'cancelled', activity: after });
  await deps.notifier.tellOrganiser(after, `已取消「${after.title}」，已通知 ${signedUp.length} 位报名者`, `al-org-cancelled:${after.id}`);
  return { ok: true, activity: after, told: signedUp.length };
}
