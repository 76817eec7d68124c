/** Prefix of the alliance cards' event keys; the inbound dispatcher routes `onAction(ALLIANCE_KEY_PREFIX)` here. */
export const ALLIANCE_KEY_PREFIX = 'al_';

export const ALLIANCE_KEY = { signUp: 'al_signup', withdraw: 'al_withdraw', confirm: 'al_confirm' } as const;

/** A 哨令 card's task id names its activity: `al-<activityId>`. */
export function activityTaskId(activityId: string): string {
  return `al-${activityId}`;
}

export function activityIdOfTask(taskId: string): string | undefined {
  return /^al-(A[0-9a-f]{12})$/.exec(taskId)?.[1];
}

/**
 * The organiser's confirmation card names the activity, the participant and when it was sent
 * (`alc-<activityId>-<participantId>-<base36 ms>`): task ids must be unique, and a participant
 * moved to the waiting list and seated again gets a new card.
 */
export function confirmTaskId(activityId: string, participantId: string, at: Date): string {
  return `alc-${activityId}-${participantId}-${at.getTime().toString(36)}`;
}

export function confirmTargetOfTask(taskId: string): { activityId: string; participantId: string } | undefined {
  const match = /^alc-(A[0-9a-f]{12})-([A-Za-z0-9_-]{1,64})-[0-9a-z]+$/.exec(taskId);
  return match ? { activityId: match[1]!, participantId: match[2]! } : undefined;
}
