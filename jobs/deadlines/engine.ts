import type { RedisClient } from '../../infra/redis';
import { Queue, type ConnectionOptions, type Worker } from 'bullmq';
import type { DeadlineSync } from '../../commands/deps';
import type { Logger } from '../../infra/logger';
import { DEADLINE_QUEUE_NAME } from './names';
import type { DeadlineRules } from './plan';
import type { DeadlineCaseStore, DeadlineNotifier } from './ports';
import { DeadlineScheduler, type DeadlineJobData } from './scheduler';
import { createDeadlineSweeper, markForResync, type DeadlineSweeper } from './sweeper';
import { createDeadlineWorker, type DeadlineJobResult, type FiredAlert } from './worker';

/** What the worker role adds: the worker that fires due alerts and the repeatable sweeper that rebuilds lost timers. */
export interface DeadlineWorkerParts {
  store: DeadlineCaseStore;
  notifier: DeadlineNotifier;
  sweepEveryMs?: number;
  concurrency?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  onFired?: (fired: FiredAlert) => void;
}

export interface DeadlineEngineOptions {
  connection: ConnectionOptions;
  /** A plain (non-blocking) connection to the same Redis, for the scheduler's reads. */
  redis: RedisClient;
  prefix: string;
  rules: () => DeadlineRules;
  /** Set for the `worker` role; the `web` role only schedules. */
  workers?: DeadlineWorkerParts;
  logger?: Logger;
}

export interface DeadlineEngine {
  readonly queue: Queue<DeadlineJobData>;
  readonly scheduler: DeadlineScheduler;
  /** What the lifecycle calls after every transition: a failed sync is marked for the next periodic sweep, then thrown. */
  readonly sync: DeadlineSync;
  readonly worker?: Worker<DeadlineJobData, DeadlineJobResult>;
  readonly sweeper?: DeadlineSweeper;
  /** The sweeper, then the worker, then the queue. */
  close(): Promise<void>;
}

/** The one deadline wiring (production's, the tests' and the benches'): queue, scheduler and, for workers, worker and sweeper. */
export async function createDeadlineEngine(options: DeadlineEngineOptions): Promise<DeadlineEngine> {
  const { connection, redis, prefix, rules, workers, logger } = options;
  const queue = new Queue<DeadlineJobData>(DEADLINE_QUEUE_NAME, { connection, prefix });
  const scheduler = new DeadlineScheduler({ queue, redis, rules });
  const sync: DeadlineSync = {
    syncCase: async (c) => {
      try {
        await scheduler.syncCase(c);
      } catch (error) {
        // The next periodic sweep (a minute at most) syncs it again; if Redis itself is gone, the full sweep after it comes back does.
        await markForResync(redis, prefix, c.id).catch(() => undefined);
        throw error;
      }
    },
  };
  if (!workers) return { queue, scheduler, sync, close: () => queue.close() };

  const worker = createDeadlineWorker({
    connection,
    prefix,
    store: workers.store,
    notifier: workers.notifier,
    rules,
    ...(workers.concurrency !== undefined && { concurrency: workers.concurrency }),
    ...(workers.lockDurationMs !== undefined && { lockDurationMs: workers.lockDurationMs }),
    ...(workers.stalledIntervalMs !== undefined && { stalledIntervalMs: workers.stalledIntervalMs }),
    ...(logger !== undefined && { logger }),
    ...(workers.onFired !== undefined && { onFired: workers.onFired }),
  });
  const sweeper = createDeadlineSweeper({ connection, redis, prefix, store: workers.store, scheduler, everyMs: workers.sweepEveryMs ?? 60_000, ...(logger !== undefined && { logger }) });
  await sweeper.ensureScheduled();
  return {
    queue,
    scheduler,
    sync,
    worker,
    sweeper,
    async close() {
      await sweeper.close();
      await worker.close();
      await queue.close();
    },
  };
}
