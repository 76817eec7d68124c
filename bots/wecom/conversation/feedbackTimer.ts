import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../../../infra/logger';
import type { FeedbackTimer } from './deps';

export const FEEDBACK_QUEUE_NAME = 'conversation-feedback';

interface FeedbackJob {
  userId: string;
  draftId: string;
}

export interface FeedbackQueueOptions {
  connection: ConnectionOptions;
  /** QUEUE_PREFIX (tests: a private prefix). */
  prefix: string;
}

/** A delayed job per held feedback; its id is the draft's, so holding twice schedules once. */
export function createFeedbackTimer(options: FeedbackQueueOptions): FeedbackTimer & { close(): Promise<void> } {
  const queue = new Queue<FeedbackJob>(FEEDBACK_QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
  return {
    async schedule(userId, draftId, delayMs) {
      await queue.add('settle', { userId, draftId }, { jobId: `feedback-${draftId}`, delay: delayMs, attempts: 5, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } });
    },
    close: () => queue.close(),
  };
}

/** Runs `settle` when a held feedback's window has passed. */
export function startFeedbackWorker(options: FeedbackQueueOptions & { settle(userId: string, draftId: string): Promise<void>; logger?: Logger; lockMs?: number }): { close(): Promise<void> } {
  const worker = new Worker<FeedbackJob>(FEEDBACK_QUEUE_NAME, (job) => options.settle(job.data.userId, job.data.draftId), {
    connection: options.connection,
    prefix: options.prefix,
    ...(options.lockMs !== undefined && { lockDuration: options.lockMs, stalledInterval: options.lockMs }),
  });
  worker.on('error', (error) => options.logger?.error({ err: error }, 'feedback timer worker error'));
  worker.on('failed', (job, error) => options.logger?.warn({ jobId: job?.id, err: error }, 'settling held feedback failed'));
  return { close: () => worker.close() };
}
