import type { ConnectionOptions } from 'bullmq';

/** BullMQ connection options from REDIS_URL; workers need maxRetriesPerRequest null to block safely. */
export function bullConnection(redisUrl: string): ConnectionOptions {
  return { url: redisUrl, maxRetriesPerRequest: null };
}
