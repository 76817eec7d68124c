import type { ConnectionOptions } from 'bullmq';
import type { Logger } from '../../infra/logger';
import { createPeriodicJob, type PeriodicJob } from '../periodic/periodicJob';

export const PLACE_KEY_PRUNE_QUEUE = 'case-place-key-pruner';
export const PLACE_KEY_PRUNE_SCHEDULER = 'case-place-key-prune';

export interface PlaceKeyPrunerOptions {
  connection: ConnectionOptions;
  prefix: string;
  /** Deletes the keys no report can read any more; returns how many (`CaseRepository.prunePlaceKeys`). */
  prune: (now: Date) => Promise<number>;
  /** Hourly by default: each run removes about an hour's worth of keys. */
  everyMs?: number;
  logger?: Logger;
}

/**
 * Keeps the duplicate-lookup keys (`case_place_keys`) to the few days a report can still read.
 * Without it the collection grows by every case forever, and FerretDB reads it whole per lookup.
 */
export function createPlaceKeyPruner(options: PlaceKeyPrunerOptions): PeriodicJob {
  return createPeriodicJob({
    connection: options.connection,
    prefix: options.prefix,
    queueName: PLACE_KEY_PRUNE_QUEUE,
    schedulerId: PLACE_KEY_PRUNE_SCHEDULER,
    everyMs: options.everyMs ?? 3_600_000,
    what: 'duplicate-key pruning',
    ...(options.logger && { logger: options.logger }),
    run: async () => {
      const deleted = await options.prune(new Date());
      if (deleted > 0) options.logger?.info({ deleted }, 'pruned duplicate-lookup keys no report can read any more');
      return deleted;
    },
  });
}
