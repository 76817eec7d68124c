import type Redis from 'ioredis';
import { Queue, type ConnectionOptions, type Worker } from 'bullmq';
import type { Logger } from '../../infra/logger';
import { DEADLINE_QUEUE_NAME } from './names';
import type { DeadlineRules } from './plan';
import type { DeadlineCaseStore, DeadlineNotifier } from './ports';
import { DeadlineScheduler, type DeadlineJobData } from './scheduler';
import { createDeadlineSweeper, type DeadlineSweeper } from './sweeper';
import { createDeadlineWorker, type DeadlineJobResult, type FiredAlert } from './worker';

export interface DeadlineEngineOptions {
  connection: ConnectionOptions;
  /** A plain (non-blocking) connection to the same Redis, for the scheduler's reads. */
  redis: Redis;
  prefix: string;
  store: DeadlineCaseStore;
  notifier: DeadlineNotifier;
  rules: () => DeadlineRules;
  /** Start the worker and the sweeper (the `worker` role); the `web` role only schedules. */
  runWorkers: boolean;
  sweepEveryMs?: number;
  concurrency?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  logger?: Logger;
  onFired?: (fired: FiredAlert) => void;
}

export interface DeadlineEngine {
  readonly queue: Queue<DeadlineJobData>;
  readonly scheduler: DeadlineScheduler;
  readonly worker?: Worker<DeadlineJobData, DeadlineJobResult>;
  readonly sweeper?: DeadlineSweeper;
  close(): Promise<void>;
}

/** Wires queue, scheduler, worker and sweeper; `scheduler.syncCase` is what the lifecycle calls. */
export async function createDeadlineEngine(options: DeadlineEngineOptions): Promise<DeadlineEngine> {
  const queue = new Queue<DeadlineJobData>(DEADLINE_QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
  const scheduler = new DeadlineScheduler({ queue, redis: options.redis, rules: options.rules });
  if (!options.runWorkers) return { queue, scheduler, close: () => queue.close() };

  const worker = createDeadlineWorker({
    connection: options.connection,
    prefix: options.prefix,
    store: options.store,
    notifier: options.notifier,
    rules: options.rules,
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    ...(options.lockDurationMs !== undefined && { lockDurationMs: options.lockDurationMs }),
    ...(options.stalledIntervalMs !== undefined && { stalledIntervalMs: options.stalledIntervalMs }),
    ...(options.logger !== undefined && { logger: options.logger }),
    ...(options.onFired !== undefined && { onFired: options.onFired }),
  });
  const sweeper = createDeadlineSweeper({
    connection: options.connection,
    redis: options.redis,
    prefix: options.prefix,
    store: options.store,
    scheduler,
    everyMs: options.sweepEveryMs ?? 60_000,
    ...(options.logger !== undefined && { logger: options.logger }),
  });
  await sweeper.ensureScheduled();
  return {
    queue,
    scheduler,
    worker,
    sweeper,
    async close() {
      await sweeper.close();
      await worker.close();
      await queue.close();
    },
  };
}
