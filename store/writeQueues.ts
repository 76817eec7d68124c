import { newDayQueues, type DayQueues } from './caseStatsRollup';
import { KeyedSerial } from './keyedSerial';

/**
 * This process's queues of the store's writes that must not overlap (FerretDB v1 applies `$inc` as
 * a read and a write). One set per store, built with its repository in the composition root:
 * every writer of a store in one process goes through the same queues.
 */
export interface StoreWriteQueues {
  /** Counter increments (case numbers, reporters' filings), one counter's after another. */
  counters: KeyedSerial;
  /** Updates of the stats roll-up's day documents. */
  statsDays: DayQueues;
}

export function storeWriteQueues(): StoreWriteQueues {
  return { counters: new KeyedSerial(), statsDays: newDayQueues() };
}
