import { effectiveHours } from './attendanceRules';
import { pointsFor, starsFor, type PointsPolicy } from './points';
import { quotaProgress, type QuotaPolicy, type QuotaProgress } from './quotas';
import { ORGANISATION_KINDS, type Activity, type Participant, type Signup } from './types';

export interface RewardExchange {
  id: string;
  participantId: string;
  reward: string;
  points: number;
  at: Date;
  by: string;
}

/** One activity in a participant's record. */
export interface ServiceLine {
  activityId: string;
  title: string;
  startsAt: Date;
  hours: number;
  points: number;
  /** The organiser's reason when the hours were corrected. */
  correction?: string;
}

export interface ParticipantYear {
  participant: Participant;
  lines: ServiceLine[];
  /** Activities this participant itself took part in. */
  activities: number;
  hours: number;
  points: number;
  stars: number;
  /** Organisations: their members' hours and the activities where the organisation or a member took part. */
  members?: { count: number; hours: number; activities: number };
  quota?: QuotaProgress;
  redeemed: number;
}

export interface YearInput {
  participants: readonly Participant[];
  /** The year's activities (by local start date). */
  activities: readonly Activity[];
  signups: readonly Signup[];
  exchanges: readonly RewardExchange[];
}

export interface YearPolicy {
  points: PointsPolicy;
  quotas: QuotaPolicy;
}

function linesOf(participantId: string, signups: readonly Signup[], activities: ReadonlyMap<string, Activity>, policy: PointsPolicy): ServiceLine[] {
  const lines: ServiceLine[] = [];
  for (const signup of signups) {
    const activity = activities.get(signup.activityId);
    if (signup.participantId !== participantId || !activity) continue;
    const hours = effectiveHours(activity, signup);
    if (hours <= 0) continue;
    const correction = signup.corrections.at(-1)?.reason;
    lines.push({ activityId: activity.id, title: activity.title, startsAt: activity.startsAt, hours, points: pointsFor(policy, activity.kind, hours), ...(correction !== undefined && { correction }) });
  }
  return lines.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Hours, points, stars and quota progress of every participant for one year. */
export function yearlyFigures(input: YearInput, policy: YearPolicy): ParticipantYear[] {
  const activities = new Map(input.activities.map((a) => [a.id, a]));
  const own = new Map(input.participants.map((p) => [p.id, linesOf(p.id, input.signups, activities, policy.points)]));
  return input.participants.map((participant) => {
    const lines = own.get(participant.id) ?? [];
    const hours = sum(lines.map((l) => l.hours));
    const points = sum(lines.map((l) => l.points));
    const year: ParticipantYear = {
      participant,
      lines,
      activities: lines.length,
      hours,
      points,
      stars: starsFor(policy.points, points),
      redeemed: sum(input.exchanges.filter((e) => e.participantId === participant.id).map((e) => e.points)),
    };
    let counted = { activities: year.activities, hours };
    if (ORGANISATION_KINDS.includes(participant.kind)) {
      const memberLines = input.participants.filter((m) => m.orgId === participant.id).map((m) => own.get(m.id) ?? []);
      const memberHours = sum(memberLines.flat().map((l) => l.hours));
      const reached = new Set([...lines, ...memberLines.flat()].map((l) => l.activityId)).size;
      year.members = { count: memberLines.length, hours: memberHours, activities: reached };
      counted = { activities: reached, hours: hours + memberHours };
    }
    const quota = policy.quotas[participant.kind];
    if (quota) year.quota = quotaProgress(quota, counted);
    return year;
  });
}

/** Rankings: most points first, then most hours, then by name (stable for ties). */
export function rank(years: readonly ParticipantYear[]): (ParticipantYear & { rank: number })[] {
  const sorted = [...years].sort((a, b) => b.points - a.points || b.hours - a.hours || a.participant.name.localeCompare(b.participant.name, 'zh-CN'));
  let rankOf = 0;
  return sorted.map((y, i) => {
    const previous = sorted[i - 1];
    if (!previous || previous.points !== y.points || previous.hours !== y.hours) rankOf = i + 1;
    return { ...y, rank: rankOf };
  });
}

/** Points earned over all the activities given, less every exchange. */
export function pointsBalance(participantId: string, activities: readonly Activity[], signups: readonly Signup[], exchanges: readonly RewardExchange[], policy: PointsPolicy): number {
  const byId = new Map(activities.map((a) => [a.id, a]));
  const earned = sum(linesOf(participantId, signups, byId, policy).map((l) => l.points));
  return earned - sum(exchanges.filter((e) => e.participantId === participantId).map((e) => e.points));
}

/** Those whose quota is not met yet: who the last-quarter reminders go to. */
export function behindQuota(years: readonly ParticipantYear[]): ParticipantYear[] {
  return years.filter((y) => y.quota !== undefined && !y.quota.met);
}
