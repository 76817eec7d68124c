import type { ConnectionOptions } from 'bullmq';
import type { Logger } from '../../infra/logger';
import { createPeriodicJob } from '../periodic/periodicJob';
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

  const periodic = createPeriodicJob({
    connection: options.connection,
    prefix: options.prefix,
    queueName: SWEEP_QUEUE_NAME,
    schedulerId: SWEEP_SCHEDULER_ID,
    everyMs: options.everyMs,
    run: sweepOnce,
    what: 'deadline sweep',
    ...(options.logger && { logger: options.logger }),
  });
  return { sweepOnce, ensureScheduled: periodic.ensureScheduled, close: periodic.close };
}
