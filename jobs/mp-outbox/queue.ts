import { Queue, type ConnectionOptions } from 'bullmq';
import type { SubscribeMessage } from '../../bots/wechat-mp/client';
import { MP_OUTBOX_JOB_NAME, MP_OUTBOX_QUEUE_NAME, mpOutboxJobId } from './names';

export interface MpOutboxJobData {
  message: SubscribeMessage;
  /** For logs: which case and milestone, never the openid. */
  label: string;
}

export interface MpOutboxOptions {
  connection: ConnectionOptions;
  prefix: string;
  attempts: number;
  /** First retry delay; doubles each attempt. */
  backoffMs: number;
}

export interface MpOutbox {
  readonly queue: Queue<MpOutboxJobData>;
  /** Queues a subscribe message; the same idempotency key queued again while its job exists is the same job. */
  enqueue(data: MpOutboxJobData, idempotencyKey: string): Promise<{ jobId: string }>;
  /** True while a job for this key is kept (queued, retrying, done or failed within the retention). */
  has(idempotencyKey: string): Promise<boolean>;
  close(): Promise<void>;
}

export function createMpOutbox(options: MpOutboxOptions): MpOutbox {
  const queue = new Queue<MpOutboxJobData>(MP_OUTBOX_QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
  return {
    queue,
    async enqueue(data, idempotencyKey) {
      const jobId = mpOutboxJobId(idempotencyKey);
      await queue.add(MP_OUTBOX_JOB_NAME, data, {
        jobId,
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        removeOnComplete: { age: 24 * 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
      return { jobId };
    },
    has: async (idempotencyKey) => (await queue.getJob(mpOutboxJobId(idempotencyKey))) !== undefined,
    close: () => queue.close(),
  };
}
