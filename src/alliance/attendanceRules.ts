import { formatChinaTime } from '../chinaTime';
import { cancelledRefusal } from './activityChanges';
import { distanceMeters, type Point } from './geo';
import { verifyQrToken, type QrRotation } from './qrToken';
import { ALLOWED, refuse, type AllianceRefusal, type Decision } from './refusals';
import type { Activity, Signup } from './types';

export interface AttendanceWindow {
  /** Check-in opens this many minutes before the start (people arrive early). */
  checkInOpensMinutesBefore: number;
  /** Check-out stays open this long after the end; later, only the organiser's correction gives hours. */
  checkOutClosesMinutesAfter: number;
}

/** What the person shows: where they are, or the code on site. */
export type Evidence = { method: 'location'; point: Point } | { method: 'qr'; token: string };

const MINUTE = 60_000;

function evidenceDecision(activity: Activity, evidence: Evidence, now: Date, rotation: QrRotation): Decision {
  if (evidence.method === 'qr') return verifyQrToken(evidence.token, activity.id, now, rotation);
  const distance = Math.round(distanceMeters(evidence.point, activity.venue));
  if (distance > activity.venue.radiusMeters) {
    return refuse('too_far', `您距离活动地点「${activity.venue.name}」约 ${distance} 米，需在 ${activity.venue.radiusMeters} 米以内才能签到；请到现场后再试，或扫描现场二维码`);
  }
  return ALLOWED;
}

function seatedDecision(activity: Activity, signup: Signup | undefined): AllianceRefusal | undefined {
  if (activity.cancelledAt !== undefined) return cancelledRefusal(activity);
  if (!signup || signup.withdrawnAt !== undefined) return refuse('not_signed_up', `您没有报名「${activity.title}」，不能签到`);
  if (signup.seat === undefined) return refuse('not_seated', `您在「${activity.title}」的候补名单上，尚未获得名额，不能签到`);
  if (signup.confirmedAt === undefined) return refuse('not_confirmed', `组织方尚未确认您参加「${activity.title}」，请联系组织方确认后再签到`);
  return undefined;
}

export interface AttendanceContext {
  window: AttendanceWindow;
  rotation: QrRotation;
  timeZone: string;
}

export function checkInDecision(activity: Activity, signup: Signup | undefined, evidence: Evidence, now: Date, context: AttendanceContext): Decision {
  const seated = seatedDecision(activity, signup);
  if (seated) return seated;
  if (signup?.checkedInAt !== undefined) return refuse('already_checked_in', `您已于 ${formatChinaTime(signup.checkedInAt, 'brief', context.timeZone)} 签到，无需重复签到`);
  const opens = activity.startsAt.getTime() - context.window.checkInOpensMinutesBefore * MINUTE;
  if (now.getTime() < opens) return refuse('too_early', `「${activity.title}」${formatChinaTime(activity.startsAt, 'brief', context.timeZone)} 开始，签到从 ${formatChinaTime(new Date(opens), 'brief', context.timeZone)} 起开放`);
  if (now.getTime() >= activity.endsAt.getTime()) return refuse('ended', `「${activity.title}」已于 ${formatChinaTime(activity.endsAt, 'brief', context.timeZone)} 结束，不能再签到；如确有参加请联系组织方补录`);
  return evidenceDecision(activity, evidence, now, context.rotation);
}

export function checkOutDecision(activity: Activity, signup: Signup | undefined, evidence: Evidence, now: Date, context: AttendanceContext): Decision {
  const seated = seatedDecision(activity, signup);
  if (seated) return seated;
  if (signup?.checkedInAt === undefined) return refuse('not_checked_in', `您还没有签到「${activity.title}」，请先签到`);
  if (signup.checkedOutAt !== undefined) return refuse('already_checked_out', `您已于 ${formatChinaTime(signup.checkedOutAt, 'brief', context.timeZone)} 签退，无需重复签退`);
  const closes = activity.endsAt.getTime() + context.window.checkOutClosesMinutesAfter * MINUTE;
  if (now.getTime() > closes) return refuse('checkout_closed', `「${activity.title}」的签退已于 ${formatChinaTime(new Date(closes), 'brief', context.timeZone)} 关闭，请联系组织方核定时长`);
  return evidenceDecision(activity, evidence, now, context.rotation);
}

/**
 * Hours served: the part of [check-in, check-out] inside the activity's own time, in whole half
 * hours (rounded down). No check-out, no hours until the organiser corrects.
 */
export function creditedHours(activity: Pick<Activity, 'startsAt' | 'endsAt'>, checkedInAt: Date | undefined, checkedOutAt: Date | undefined): number {
  if (!checkedInAt || !checkedOutAt) return 0;
  const from = Math.max(checkedInAt.getTime(), activity.startsAt.getTime());
  const to = Math.min(checkedOutAt.getTime(), activity.endsAt.getTime());
  if (to <= from) return 0;
  return Math.floor((to - from) / (30 * MINUTE)) / 2;
}

/** The hours that count: the organiser's latest correction, else what check-in and check-out give. */
export function effectiveHours(activity: Pick<Activity, 'startsAt' | 'endsAt'>, signup: Pick<Signup, 'checkedInAt' | 'checkedOutAt' | 'corrections' | 'withdrawnAt'>): number {
  if (signup.withdrawnAt !== undefined) return 0;
  const last = signup.corrections.at(-1);
  return last ? last.hours : creditedHours(activity, signup.checkedInAt, signup.checkedOutAt);
}
