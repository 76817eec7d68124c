import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../../infra/logger';

export interface PeriodicJobOptions {
  connection: ConnectionOptions;
  prefix: string;
  /** The job's own queue; one scheduler entry in it, whichever process created it. */
  queueName: string;
  schedulerId: string;
  everyMs: number;
  /** A cron schedule instead of `every` (e.g. nightly at 02:30 in Asia/Shanghai); `everyMs` then only paces the re-scheduling guard. */
  repeat?: { pattern: string; tz?: string };
  run: () => Promise<unknown>;
  /** Used in log lines: "could not schedule the <what>". */
  what: string;
  logger?: Logger;
}

export interface PeriodicJob {
  /** (Re)creates the repeatable job; idempotent, and repeated on a timer so a flushed Redis gets it back. */
  ensureScheduled(): Promise<void>;
  /** Runs the work once soon, besides the schedule; one job per `jobId` however many processes ask. */
  runOnce(jobId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Work that runs every `everyMs` on one of the worker processes at a time: a BullMQ job scheduler
 * (shared by all processes, so N workers still run it once per period) and a worker of concurrency 1.
 */
export function createPeriodicJob(options: PeriodicJobOptions): PeriodicJob {
  const queue = new Queue(options.queueName, { connection: options.connection, prefix: options.prefix });
  const ensureScheduled = async (): Promise<void> => {
    const repeat = options.repeat ? { pattern: options.repeat.pattern, ...(options.repeat.tz !== undefined && { tz: options.repeat.tz }) } : { every: options.everyMs };
    await queue.upsertJobScheduler(options.schedulerId, repeat, { name: options.schedulerId, data: {}, opts: { removeOnComplete: true, removeOnFail: 50 } });
  };

  const worker = new Worker(options.queueName, async () => options.run(), { connection: options.connection, prefix: options.prefix, concurrency: 1 });
  worker.on('error', (error) => options.logger?.error({ err: error }, `${options.what} error`));
  worker.on('failed', (_job, error) => options.logger?.warn({ err: error.message }, `${options.what} failed; it runs again next period`));
  const guard = setInterval(() => {
    ensureScheduled().catch((error: unknown) => options.logger?.warn({ err: error }, `could not schedule the ${options.what}`));
  }, options.everyMs);
  guard.unref();

  return {
    ensureScheduled,
    async runOnce(jobId) {
      await queue.add(options.schedulerId, {}, { jobId, removeOnComplete: true, removeOnFail: 50 });
    },
    async close() {
      clearInterval(guard);
      await worker.close();
      await queue.close();
    },
  };
}
