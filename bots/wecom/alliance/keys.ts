/** Prefix of the alliance cards' event keys; the inbound dispatcher routes `onAction(ALLIANCE_KEY_PREFIX)` here. */
export const ALLIANCE_KEY_PREFIX = 'al_';

export const ALLIANCE_KEY = { signUp: 'al_signup', withdraw: 'al_withdraw' } as const;

/** A 哨令 card's task id names its activity: `al-<activityId>`. */
export function activityTaskId(activityId: string): string {
  return `al-${activityId}`;
}

export function activityIdOfTask(taskId: string): string | undefined {
  return /^al-(A[0-9a-f]{12})$/.exec(taskId)?.[1];
}
