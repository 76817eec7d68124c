import { ALLOWED, refuse, type AllianceRefusal, type Decision } from './refusals';
import type { Activity, Signup, Venue } from './types';

/** What an organiser may change about a posted 哨令. */
export interface ActivityChanges {
  startsAt?: Date;
  endsAt?: Date;
  venue?: Venue;
  capacity?: number;
  waitlistCapacity?: number;
}

export function cancelledRefusal(activity: Activity): AllianceRefusal {
  return refuse('cancelled', `「${activity.title}」已由组织方取消${activity.cancelReason ? `（${activity.cancelReason}）` : ''}，无法再报到、确认或签到`);
}

/** Only the member who posted the 哨令 acts on it from WeChat Work. */
export function organiserDecision(activity: Activity, userId: string): Decision {
  if (activity.organiser.userId !== userId) return refuse('not_organiser', `只有发布「${activity.title}」的组织方可以确认报到`);
  return ALLOWED;
}

/** An edit or a cancellation is for an activity that is neither cancelled nor started. */
export function changeDecision(activity: Activity, now: Date): Decision {
  if (activity.cancelledAt !== undefined) return cancelledRefusal(activity);
  if (now.getTime() >= activity.startsAt.getTime()) return refuse('started', `「${activity.title}」已经开始，不能再修改或取消`);
  return ALLOWED;
}

export function editDecision(activity: Activity, changes: ActivityChanges, now: Date): Decision {
  const open = changeDecision(activity, now);
  if (!open.ok) return open;
  const startsAt = changes.startsAt ?? activity.startsAt;
  const endsAt = changes.endsAt ?? activity.endsAt;
  if (endsAt.getTime() <= startsAt.getTime()) return refuse('invalid_activity', '结束时间必须晚于开始时间');
  if (startsAt.getTime() <= now.getTime()) return refuse('invalid_activity', '开始时间必须晚于现在');
  if (Object.values(changes).every((v) => v === undefined)) return refuse('invalid_activity', '没有要修改的内容（时间、地点或人数）');
  return ALLOWED;
}

/**
 * A capacity cut below the seats taken: the latest to sign up lose their seats (and go to the
 * waiting list, ahead of those who were already waiting); the rest keep theirs.
 */
export function seatsToGiveUp(seated: readonly Signup[], capacity: number): Signup[] {
  const bySignup = [...seated].sort((a, b) => a.signedUpAt.getTime() - b.signedUpAt.getTime() || a.participantId.localeCompare(b.participantId));
  return bySignup.slice(capacity);
}

/** The sentence of what changed, for the people signed up. */
export function describeChanges(before: Activity, after: Activity, when: (d: Date) => string): string {
  const parts: string[] = [];
  if (before.startsAt.getTime() !== after.startsAt.getTime() || before.endsAt.getTime() !== after.endsAt.getTime()) parts.push(`时间改为 ${when(after.startsAt)}–${when(after.endsAt)}`);
  if (before.venue.name !== after.venue.name || before.venue.latitude !== after.venue.latitude || before.venue.longitude !== after.venue.longitude) parts.push(`地点改为「${after.venue.name}」`);
  if (before.capacity !== after.capacity) parts.push(`名额改为 ${after.capacity} 人`);
  return parts.join('，');
}
