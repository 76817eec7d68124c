import type { Activity, Participant } from './types';

function sharesSkill(activity: Pick<Activity, 'skills'>, participant: Pick<Participant, 'skills'>): boolean {
  return activity.skills.length === 0 || participant.skills.some((s) => activity.skills.includes(s));
}

function inOrganisersArea(activity: Pick<Activity, 'organiser'>, participant: Participant): boolean {
  const { level, id } = activity.organiser;
  if (level === 'community') return participant.communityId === id;
  // A street's alliance: anyone registered in the street, and district-wide units (no street given).
  return participant.streetId === undefined || participant.streetId === id;
}

/**
 * Whether a 哨令 is addressed to this participant: named one by one, or of a targeted kind, in the
 * organiser's street or community, with one of the skills asked for (when any are).
 */
export function isTargeted(activity: Pick<Activity, 'organiser' | 'skills' | 'targetKinds' | 'targetIds'>, participant: Participant): boolean {
  if (activity.targetIds.includes(participant.id)) return true;
  return activity.targetKinds.includes(participant.kind) && inOrganisersArea(activity, participant) && sharesSkill(activity, participant);
}

export function targetsOf(activity: Parameters<typeof isTargeted>[0], participants: readonly Participant[]): Participant[] {
  return participants.filter((p) => isTargeted(activity, p));
}
