import { createHmac, timingSafeEqual } from 'node:crypto';

/** A personal check-in link's signature: who (participant) for what (activity), so the link is the credential. */
export function attendSignature(secret: string, activityId: string, participantId: string): string {
  return createHmac('sha256', secret).update(`attend:${activityId}:${participantId}`).digest('base64url').slice(0, 22);
}

export function attendSignatureValid(secret: string, activityId: string, participantId: string, given: string): boolean {
  const expected = Buffer.from(attendSignature(secret, activityId, participantId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function attendPath(secret: string, activityId: string, participantId: string): string {
  return `/alliance/attend/${activityId}/${participantId}?s=${attendSignature(secret, activityId, participantId)}`;
}
