import { createHash } from 'node:crypto';

/** One queue per platform: a platform that is down fills only its own queue and limiter. */
export function hotlineWebhookQueueName(platformId: string): string {
  return `hotline-webhook-${platformId}`;
}

export const HOTLINE_WEBHOOK_JOB_NAME = 'milestone';

/** BullMQ refuses ':' in custom ids and dedupes on the id, so the id is a hash of the event id. */
export function hotlineWebhookJobId(eventId: string): string {
  return `hw-${createHash('sha256').update(eventId).digest('hex').slice(0, 40)}`;
}
