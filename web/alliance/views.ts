import type { Activity, Signup } from '../../src/alliance/types';
import type { ParticipantYear } from '../../src/alliance/yearlyFigures';

export function presentActivity(activity: Activity) {
  return { ...activity, startsAt: activity.startsAt.toISOString(), endsAt: activity.endsAt.toISOString(), postedAt: activity.postedAt.toISOString(), ...(activity.cancelledAt && { cancelledAt: activity.cancelledAt.toISOString() }) };
}

export function presentSignup(signup: Signup) {
  const status = signup.withdrawnAt ? 'withdrawn' : signup.seat === undefined ? 'waitlisted' : signup.checkedOutAt ? 'checked_out' : signup.checkedInAt ? 'checked_in' : signup.confirmedAt ? 'confirmed' : 'seated';
  return { ...signup, status };
}

export function presentYear(year: ParticipantYear & { rank?: number; balance?: number }) {
  const { participant, lines, ...figures } = year;
  return { participant, ...figures, lines: lines.map((l) => ({ ...l, startsAt: l.startsAt.toISOString() })) };
}
