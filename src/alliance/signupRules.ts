import { cancelledRefusal } from './activityChanges';
import { ALLOWED, refuse, type Decision } from './refusals';
import { isTargeted } from './targeting';
import type { Activity, Participant, Signup } from './types';

/** Whether a sign-up tap may go ahead; capacity is decided by the seat claims in the store. */
export function signUpDecision(activity: Activity, participant: Participant, existing: Signup | undefined, now: Date): Decision {
  if (activity.cancelledAt !== undefined) return cancelledRefusal(activity);
  if (!isTargeted(activity, participant)) return refuse('not_targeted', `「${activity.title}」的哨令没有发给${participant.name}，无法报到；如需参加请联系组织方`);
  if (now.getTime() >= activity.startsAt.getTime()) return refuse('started', `「${activity.title}」已经开始，报名已截止`);
  if (existing && existing.withdrawnAt === undefined) {
    const where = existing.seat !== undefined ? `（第 ${existing.seat} 个名额）` : '（候补中）';
    return refuse('already_signed_up', `${participant.name}已报名「${activity.title}」${where}，无需重复报到`);
  }
  return ALLOWED;
}

/** The answer when every seat and every waiting-list place is taken. */
export function fullRefusal(activity: Activity) {
  return refuse('full', `「${activity.title}」名额（${activity.capacity} 人）和候补（${activity.waitlistCapacity} 人）都已满，请关注下一次哨令`);
}

/** Confirming is for a seated, not withdrawn, not yet confirmed sign-up. */
export function confirmDecision(activity: Activity, signup: Signup | undefined): Decision {
  if (activity.cancelledAt !== undefined) return cancelledRefusal(activity);
  if (!signup) return refuse('not_signed_up', `此人没有报名「${activity.title}」`);
  if (signup.withdrawnAt !== undefined) return refuse('withdrawn', `此人已取消报名「${activity.title}」`);
  if (signup.seat === undefined) return refuse('not_seated', `此人在「${activity.title}」的候补名单上，有空出的名额后才能确认`);
  if (signup.confirmedAt !== undefined) return refuse('already_confirmed', `此人参加「${activity.title}」已确认过`);
  return ALLOWED;
}

export function withdrawDecision(activity: Activity, signup: Signup | undefined, now: Date): Decision {
  if (activity.cancelledAt !== undefined) return cancelledRefusal(activity);
  if (!signup || signup.withdrawnAt !== undefined) return refuse('not_signed_up', `没有报名「${activity.title}」，无需取消`);
  if (now.getTime() >= activity.startsAt.getTime()) return refuse('started', `「${activity.title}」已经开始，不能再取消报名；如有变化请联系组织方`);
  return ALLOWED;
}
