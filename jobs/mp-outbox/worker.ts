import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { SubscribeMessage } from '../../bots/wechat-mp/client';
import { WechatMpApiError, isTransientMpError } from '../../bots/wechat-mp/errors';
import type { Logger } from '../../infra/logger';
import { MP_OUTBOX_QUEUE_NAME } from './names';
import type { MpOutboxJobData } from './queue';

export interface MpOutboxWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  send(message: SubscribeMessage): Promise<void>;
  concurrency?: number;
  logger?: Logger;
}

export interface MpOutboxWorker {
  readonly worker: Worker<MpOutboxJobData, void>;
  close(): Promise<void>;
}

/**
 * Sends queued subscribe messages. Transient failures (network, 5xx, busy, frequency limits,
 * expired token) are retried with the queue's backoff; the rest (43101 the resident withdrew the
 * grant, 40003 unknown openid, 47003 bad template data) cannot succeed and are dropped at once.
 */
export function createMpOutboxWorker(options: MpOutboxWorkerOptions): MpOutboxWorker {
  const process = async (job: Job<MpOutboxJobData, void>): Promise<void> => {
    try {
      await options.send(job.data.message);
      options.logger?.info({ jobId: job.id, label: job.data.label, attempt: job.attemptsMade + 1 }, 'subscribe message sent');
    } catch (error) {
      const errcode = error instanceof WechatMpApiError ? error.errcode : undefined;
      if (!isTransientMpError(error)) {
        options.logger?.warn({ jobId: job.id, label: job.data.label, errcode }, 'subscribe message refused by WeChat; not retrying');
        throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
      }
      options.logger?.warn({ jobId: job.id, label: job.data.label, errcode, attempt: job.attemptsMade + 1, err: (error as Error).message }, 'subscribe message failed; will retry');
      throw error;
    }
  };
  const worker = new Worker<MpOutboxJobData, void>(MP_OUTBOX_QUEUE_NAME, process, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 4,
  });
  worker.on('error', (error) => options.logger?.error({ err: error.message }, 'mini-program outbox worker error'));
  return { worker, close: () => worker.close() };
}
