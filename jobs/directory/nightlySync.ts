import type { ConnectionOptions } from 'bullmq';
import type { Logger } from '../../infra/logger';
import { createPeriodicJob, type PeriodicJob } from '../periodic/periodicJob';

export const DIRECTORY_SYNC_QUEUE = 'directory-sync';
export const DIRECTORY_SYNC_SCHEDULER = 'directory-nightly-sync';

export interface NightlyDirectorySyncOptions {
  connection: ConnectionOptions;
  prefix: string;
  /** A full sync (DirectorySync.fullSync); throws when refused or failed, so the job shows as failed. */
  sync: () => Promise<unknown>;
  /** Cron pattern and time zone (DIRECTORY_SYNC_CRON, DIRECTORY_SYNC_TZ). */
  pattern: string;
  tz: string;
  logger?: Logger;
}

/**
 * The full directory resync, nightly by default: change_contact callbacks keep the organisation
 * current during the day, this catches whatever a lost callback missed. One run at a time across
 * every worker process (a BullMQ job scheduler).
 */
export function createNightlyDirectorySync(options: NightlyDirectorySyncOptions): PeriodicJob {
  return createPeriodicJob({
    connection: options.connection,
    prefix: options.prefix,
    queueName: DIRECTORY_SYNC_QUEUE,
    schedulerId: DIRECTORY_SYNC_SCHEDULER,
    everyMs: 3_600_000,
    repeat: { pattern: options.pattern, tz: options.tz },
    what: 'directory resync',
    ...(options.logger && { logger: options.logger }),
    run: options.sync,
  });
}
