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

/** The webhook key is a credential: only a digest of it goes into Redis key names. */
export function robotPaceKey(prefix: string, webhookKey: string): string {
  return `${prefix}:wecom-outbox:robot:${createHash('sha256').update(webhookKey).digest('hex').slice(0, 24)}`;
}
