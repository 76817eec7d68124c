import type { ConnectionOptions } from 'bullmq';
import type { RedisClient } from '../../infra/redis';
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
  /** A plain connection to the queue's Redis: the last full sweep's time and the cases to sync again. */
  redis: RedisClient;
  /** How often the repeatable sweep runs. */
  everyMs: number;
  /** A full sweep at least this often even when Redis lost nothing (default: an hour). */
  fullEveryMs?: number;
  batchSize?: number;
  logger?: Logger;
}

export interface SweepReport extends SyncResult {
  cases: number;
  /** True for a sweep over every case with deadlines; false when only the marked cases were synced. */
  full: boolean;
}

const RESYNC_BATCH = 500;

function lastFullSweepKey(prefix: string): string {
  return `${prefix}:deadlines:last-full-sweep`;
}

function resyncKey(prefix: string): string {
  return `${prefix}:deadlines:resync`;
}

/** Marks a case whose deadline sync failed, for the next periodic run (a minute at most) to sync it again. */
export async function markForResync(redis: RedisClient, prefix: string, caseId: string): Promise<void> {
  await redis.sadd(resyncKey(prefix), caseId);
}

export interface DeadlineSweeper {
  /** Every case with deadlines, in one pass over the store, synced against Redis; missing jobs are recreated (overdue ones due at once). */
  sweepOnce(): Promise<SweepReport>;
  /**
   * The periodic run. A full sweep when Redis has no record of the last one (a flushed or new
   * Redis) or it is older than `fullEveryMs`; otherwise only the cases marked for resync. A full
   * sweep reads every open case of the store, which on FerretDB at 100,000 cases takes minutes.
   */
  sweepDue(): Promise<SweepReport>;
  /** (Re)creates the repeatable sweep; idempotent, and repeated on a timer so a flushed Redis gets it back. */
  ensureScheduled(): Promise<void>;
  close(): Promise<void>;
}

export function createDeadlineSweeper(options: DeadlineSweeperOptions): DeadlineSweeper {
  const batchSize = options.batchSize ?? 500;
  const fullEveryMs = options.fullEveryMs ?? 3_600_000;
  const { redis, prefix } = options;

  const add = (report: SweepReport, cases: number, result: SyncResult): void => {
    report.cases += cases;
    report.added += result.added;
    report.moved += result.moved;
    report.removed += result.removed;
    report.kept += result.kept;
  };

  const sweepOnce = async (): Promise<SweepReport> => {
    const startedAt = Date.now();
    const report: SweepReport = { cases: 0, added: 0, moved: 0, removed: 0, kept: 0, full: true };
    for await (const page of options.store.casesWithDeadlines(batchSize)) add(report, page.length, await options.scheduler.syncCases(page));
    await redis.set(lastFullSweepKey(prefix), String(startedAt));
    if (report.added > 0 || report.moved > 0) options.logger?.info(report, 'deadline sweep restored jobs');
    return report;
  };

  const resyncMarked = async (): Promise<SweepReport> => {
    const report: SweepReport = { cases: 0, added: 0, moved: 0, removed: 0, kept: 0, full: false };
    for (;;) {
      const ids = await redis.spop(resyncKey(prefix), RESYNC_BATCH);
      if (ids.length === 0) break;
      try {
        const cases = (await Promise.all(ids.map((id) => options.store.load(id)))).filter((c) => c !== null);
        add(report, cases.length, await options.scheduler.syncCases(cases));
      } catch (error) {
        await redis.sadd(resyncKey(prefix), ...ids);
        throw error;
      }
      if (ids.length < RESYNC_BATCH) break;
    }
    if (report.cases > 0) options.logger?.info(report, 'deadline resync of cases whose sync had failed');
    return report;
  };

  const sweepDue = async (): Promise<SweepReport> => {
    const last = Number(await redis.get(lastFullSweepKey(prefix)));
    if (!last || Date.now() - last >= fullEveryMs) return sweepOnce();
    return resyncMarked();
  };

  const periodic = createPeriodicJob({
    connection: options.connection,
    prefix: options.prefix,
    queueName: SWEEP_QUEUE_NAME,
    schedulerId: SWEEP_SCHEDULER_ID,
    everyMs: options.everyMs,
    run: sweepDue,
    what: 'deadline sweep',
    ...(options.logger && { logger: options.logger }),
  });
  return { sweepOnce, sweepDue, ensureScheduled: periodic.ensureScheduled, close: periodic.close };
}
