import { Queue, type ConnectionOptions } from 'bullmq';
import type { HotlineWebhookPlatform } from '../../config/hotlineWebhooks';
import { HOTLINE_WEBHOOK_JOB_NAME, hotlineWebhookJobId, hotlineWebhookQueueName } from './names';

export interface HotlineWebhookJobData {
  /** Stable across retries: the receiver dedupes on it. */
  eventId: string;
  /** The JSON payload, fixed when the milestone happened (docs/hotline-api.md). */
  body: string;
  /** For logs: case number and milestone, no personal data. */
  label: string;
}

export interface HotlineWebhookOutbox {
  /** Queues one event for a platform; the same event id queued again is the same job. */
  enqueue(platformId: string, data: HotlineWebhookJobData): Promise<void>;
  queue(platformId: string): Queue<HotlineWebhookJobData>;
  close(): Promise<void>;
}

export interface HotlineWebhookOutboxOptions {
  connection: ConnectionOptions;
  prefix: string;
  platforms: readonly Pick<HotlineWebhookPlatform, 'id' | 'attempts' | 'backoffMs'>[];
}

export function createHotlineWebhookOutbox(options: HotlineWebhookOutboxOptions): HotlineWebhookOutbox {
  const queues = new Map(
    options.platforms.map((p) => [p.id, { platform: p, queue: new Queue<HotlineWebhookJobData>(hotlineWebhookQueueName(p.id), { connection: options.connection, prefix: options.prefix }) }]),
  );
  const entry = (platformId: string) => {
    const found = queues.get(platformId);
    if (!found) throw new Error(`no hotline webhook platform "${platformId}" in HOTLINE_WEBHOOKS_CONFIG: add it or correct the order's platform`);
    return found;
  };
  return {
    async enqueue(platformId, data) {
      const { platform, queue } = entry(platformId);
      await queue.add(HOTLINE_WEBHOOK_JOB_NAME, data, {
        jobId: hotlineWebhookJobId(data.eventId),
        attempts: platform.attempts,
        backoff: { type: 'exponential', delay: platform.backoffMs },
        removeOnComplete: { age: 7 * 24 * 3600, count: 50_000 },
        removeOnFail: { age: 30 * 24 * 3600 },
      });
    },
    queue: (platformId) => entry(platformId).queue,
    close: async () => void (await Promise.all([...queues.values()].map(({ queue }) => queue.close()))),
  };
}
