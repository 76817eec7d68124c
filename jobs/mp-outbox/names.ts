import { createHash } from 'node:crypto';

export const MP_OUTBOX_QUEUE_NAME = 'wechat-mp-outbox';
export const MP_OUTBOX_JOB_NAME = 'subscribe-message';

/** BullMQ refuses ':' in custom ids and dedupes on the id, so the id is a hash of the caller's key. */
export function mpOutboxJobId(idempotencyKey: string): string {
  if (idempotencyKey === '') throw new Error('A mini-program outbox idempotency key must not be empty: derive it from the case, milestone and version.');
  return `mp-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}`;
}
