import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { postSignedEvent, WebhookRefused } from '../../bots/hotline/webhookClient';
import type { HotlineWebhookPlatform } from '../../config/hotlineWebhooks';
import type { Logger } from '../../infra/logger';
import { hotlineWebhookQueueName } from './names';
import type { HotlineWebhookJobData } from './queue';

export interface HotlineWebhookWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  platform: HotlineWebhookPlatform;
  concurrency?: number;
  logger?: Logger;
}

/**
 * Delivers one platform's queued milestones. Unavailable (network, timeout, 408, 429, 5xx) is retried
 * with the queue's exponential backoff; a refusal (other 4xx) cannot succeed and fails at once.
 */
export function createHotlineWebhookWorker(options: HotlineWebhookWorkerOptions): Worker<HotlineWebhookJobData, void> {
  const { platform } = options;
  const log = options.logger?.child({ platform: platform.id });
  const deliver = async (job: Job<HotlineWebhookJobData, void>): Promise<void> => {
    const attempt = job.attemptsMade + 1;
    try {
      await postSignedEvent(platform, job.data.eventId, job.data.body);
      log?.info({ eventId: job.data.eventId, label: job.data.label, attempt }, 'hotline platform told of progress');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof WebhookRefused) {
        log?.error({ eventId: job.data.eventId, label: job.data.label, status: error.status, err: message }, 'hotline platform refused a push; not retrying');
        throw new UnrecoverableError(message);
      }
      const last = attempt >= (job.opts.attempts ?? 1);
      log?.[last ? 'error' : 'warn']({ eventId: job.data.eventId, label: job.data.label, attempt, err: message }, last ? 'hotline push given up after its last attempt' : 'hotline push failed; will retry');
      throw error;
    }
  };
  const worker = new Worker<HotlineWebhookJobData, void>(hotlineWebhookQueueName(platform.id), deliver, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 4,
    limiter: { max: platform.ratePerMinute, duration: 60_000 },
  });
  worker.on('error', (error) => log?.error({ err: error.message }, 'hotline webhook worker error'));
  return worker;
}
