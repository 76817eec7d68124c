import { checkInDecision, checkOutDecision, effectiveHours, type AttendanceContext, type Evidence } from '../../src/alliance/attendanceRules';
import { pointsFor } from '../../src/alliance/points';
import { refuse } from '../../src/alliance/refusals';
import type { Participant } from '../../src/alliance/types';
import type { AllianceDeps } from './deps';
import type { Outcome } from './outcome';
import { activityNotFound, loadActivity } from './signUp';

export function attendanceContext(deps: Pick<AllianceDeps, 'config' | 'secret'>): AttendanceContext {
  const { checkIn, timeZone } = deps.config;
  return {
    window: { checkInOpensMinutesBefore: checkIn.opensMinutesBefore, checkOutClosesMinutesAfter: checkIn.checkOutClosesMinutesAfter },
    rotation: { rotateSeconds: checkIn.qrRotateSeconds, secret: deps.secret },
    timeZone,
  };
}

/** 签到 on site: by the person's location within the venue's radius, or the QR code shown there. */
export async function checkIn(deps: AllianceDeps, activityId: string, participant: Participant, evidence: Evidence): Promise<Outcome<{ at: Date }>> {
  const activity = await loadActivity(deps, activityId);
  if (!activity) return activityNotFound(activityId);
  const now = deps.clock();
  const decision = checkInDecision(activity, await deps.repo.signup(activity.id, participant.id), evidence, now, attendanceContext(deps));
  if (!decision.ok) return decision;
  if (!(await deps.repo.checkIn(activity.id, participant.id, evidence.method, now))) return refuse('already_checked_in', '您已签到，无需重复签到');
  return { ok: true, at: now };
}

/** 签退: the hours between check-in and check-out that fall inside the activity, and the points they earn. */
export async function checkOut(deps: AllianceDeps, activityId: string, participant: Participant, evidence: Evidence): Promise<Outcome<{ at: Date; hours: number; points: number }>> {
  const activity = await loadActivity(deps, activityId);
  if (!activity) return activityNotFound(activityId);
  const now = deps.clock();
  const signup = await deps.repo.signup(activity.id, participant.id);
  const decision = checkOutDecision(activity, signup, evidence, now, attendanceContext(deps));
  if (!decision.ok || !signup) return decision.ok ? refuse('not_signed_up', `您没有报名「${activity.title}」`) : decision;
  if (!(await deps.repo.checkOut(activity.id, participant.id, now))) return refuse('already_checked_out', '您已签退，无需重复签退');
  const hours = effectiveHours(activity, { ...signup, checkedOutAt: now });
  return { ok: true, at: now, hours, points: pointsFor(deps.config.points, activity.kind, hours) };
}

/** The organiser sets the hours of one participant, with the reason; every correction is kept. */
export async function correctHours(deps: AllianceDeps, activityId: string, participantId: string, hours: number, reason: string, by: string): Promise<Outcome<{ hours: number; points: number; correction: number }>> {
  const activity = await loadActivity(deps, activityId);
  if (!activity) return activityNotFound(activityId);
  const signup = await deps.repo.signup(activity.id, participantId);
  if (!signup || signup.withdrawnAt !== undefined) return refuse('not_signed_up', `${participantId} 没有报名「${activity.title}」，无法核定时长`);
  if (signup.seat === undefined) return refuse('not_seated', `${participantId} 在「${activity.title}」的候补名单上，没有参加，无法核定时长`);
  const longest = (activity.endsAt.getTime() - activity.startsAt.getTime()) / 3_600_000;
  if (hours > longest) return refuse('invalid_activity', `「${activity.title}」只有 ${longest} 小时，核定时长不能超过活动时长`);
  const correction = await deps.repo.correct(activity.id, participantId, { hours, reason, by, at: deps.clock() });
  return { ok: true, hours, points: pointsFor(deps.config.points, activity.kind, hours), correction };
}
