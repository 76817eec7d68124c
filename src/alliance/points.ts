export interface PointsRule {
  /** For taking part at all (any hours credited). */
  perAttendance: number;
  perHour: number;
}

export interface PointsPolicy {
  /** Rule of an activity kind not listed in `byKind`. */
  default: PointsRule;
  byKind: Record<string, PointsRule>;
  /** No single activity earns more than this. */
  maxPerActivity: number;
  /** Yearly points at which the 1st, 2nd, … star is earned (ascending). */
  stars: number[];
}

/** Points for one activity: nothing without hours; otherwise the kind's base plus per hour, capped, rounded down. */
export function pointsFor(policy: PointsPolicy, activityKind: string, hours: number): number {
  if (hours <= 0) return 0;
  const rule = policy.byKind[activityKind] ?? policy.default;
  return Math.min(policy.maxPerActivity, Math.floor(rule.perAttendance + rule.perHour * hours));
}

/** Star rating (0 … stars.length) of a year's points. */
export function starsFor(policy: Pick<PointsPolicy, 'stars'>, yearlyPoints: number): number {
  return policy.stars.filter((threshold) => yearlyPoints >= threshold).length;
}
