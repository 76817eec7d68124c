import { createHash } from 'node:crypto';

export const OUTBOX_QUEUE_NAME = 'wecom-outbox';
export const OUTBOX_JOB_NAME = 'send';

function digest(idempotencyKey: string): string {
  if (idempotencyKey === '') throw new Error('An outbox idempotency key must not be empty: derive it from the case, step and recipient.');
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
}

/** BullMQ refuses ':' in custom ids and dedupes on the id, so the id is a hash of the caller's key. */
export function outboxJobId(idempotencyKey: string): string {
  return `wecom-${digest(idempotencyKey)}`;
}

export function sentLedgerKey(prefix: string, idempotencyKey: string): string {
  return `${prefix}:wecom-outbox:sent:${digest(idempotencyKey)}`;
}

/** What goes into key names for a robot or a member: a webhook key is a credential, a userid personal. */
function subjectDigest(subject: string): string {
  return createHash('sha256').update(subject).digest('hex').slice(0, 24);
}

export function robotPaceKey(prefix: string, webhookKey: string): string {
  return `${prefix}:wecom-outbox:robot:${subjectDigest(webhookKey)}`;
}

/** A member's pace lists. */
export function memberPaceKey(prefix: string, userId: string): string {
  return `${prefix}:wecom-outbox:member:${subjectDigest(userId)}`;
}

/** A member's digest: the open slot's marker and, per slot, the merged messages. */
export function memberDigestKey(prefix: string, userId: string): string {
  return `${prefix}:wecom-outbox:digest:${subjectDigest(userId)}`;
}

/** One digest job per member and slot. */
export function digestJobId(userId: string, at: number): string {
  return `${digestJobIdPrefix(userId)}${at}`;
}

/** A member's line: their queued messages in the order they go out (and, with `:lease`, its head's lease). */
export function memberOrderKey(prefix: string, userId: string): string {
  return `${prefix}:wecom-outbox:order:${subjectDigest(userId)}`;
}

/** The one counter every line's places are drawn from. */
export function memberOrderSeqKey(prefix: string): string {
  return `${prefix}:wecom-outbox:order-seq`;
}

/** What a digest job's id starts with, before its slot. */
export function digestJobIdPrefix(userId: string): string {
  return `wecom-digest-${subjectDigest(userId)}-`;
}
