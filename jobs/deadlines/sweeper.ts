import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../../infra/logger';
import { SWEEP_QUEUE_NAME, SWEEP_SCHEDULER_ID } from './names';
import type { DeadlineCaseStore } from './ports';
import type { DeadlineScheduler, SyncResult } from './scheduler';

export interface DeadlineSweeperOptions {
  connection: ConnectionOptions;
  prefix: string;
  store: DeadlineCaseStore;
  scheduler: DeadlineScheduler;
  /** How often the repeatable sweep runs. */
  everyMs: number;
  batchSize?: number;
  logger?: Logger;
}

export interface SweepReport extends SyncResult {
  cases: number;
}

export interface DeadlineSweeper {
  /** Every open case, page by page, synced against Redis; missing jobs are recreated (overdue ones due at once). */
  sweepOnce(): Promise<SweepReport>;
  /** (Re)creates the repeatable sweep; idempotent, and repeated on a timer so a flushed Redis gets it back. */
  ensureScheduled(): Promise<void>;
  close(): Promise<void>;
}

export function createDeadlineSweeper(options: DeadlineSweeperOptions): DeadlineSweeper {
  const batchSize = options.batchSize ?? 500;
  const queue = new Queue(SWEEP_QUEUE_NAME, { connection: options.connection, prefix: options.prefix });

  const sweepOnce = async (): Promise<SweepReport> => {
    const report: SweepReport = { cases: 0, added: 0, moved: 0, removed: 0, kept: 0 };
    let after: string | undefined;
    for (;;) {
      const page = await options.store.openCasesAfter(after, batchSize);
      if (page.length === 0) break;
      const result = await options.scheduler.syncCases(page);
      report.cases += page.length;
      report.added += result.added;
      report.moved += result.moved;
      report.removed += result.removed;
      report.kept += result.kept;
      after = page[page.length - 1]?.id;
      if (page.length < batchSize) break;
    }
    if (report.added > 0 || report.moved > 0) options.logger?.info(report, 'deadline sweep restored jobs');
    return report;
  };

  const ensureScheduled = async (): Promise<void> => {
    await queue.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: options.everyMs }, { name: 'sweep', data: {}, opts: { removeOnComplete: true, removeOnFail: 50 } });
  };

  const worker = new Worker(SWEEP_QUEUE_NAME, async () => sweepOnce(), { connection: options.connection, prefix: options.prefix, concurrency: 1 });
  worker.on('error', (error) => options.logger?.error({ err: error }, 'deadline sweeper error'));
  const guard = setInterval(() => {
    ensureScheduled().catch((error: unknown) => options.logger?.warn({ err: error }, 'could not schedule the deadline sweep'));
  }, options.everyMs);
  guard.unref();

  return {
    sweepOnce,
    ensureScheduled,
    async close() {
      clearInterval(guard);
      await worker.close();
      await queue.close();
    },
  };
}
