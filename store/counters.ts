import type { Model } from 'mongoose';
import { upsertRetryingFirstRace } from './caseStoreErrors';
import type { KeyedSerial } from './keyedSerial';
import type { CounterDoc } from './models/counter';

/**
 * The next value of a named sequence: one atomic `$inc` upsert (no projection: FerretDB). FerretDB
 * v1's `$inc` is a read and a write, so two racing callers can get the same value (the unique
 * indexes behind case numbers and reporter keys catch it, at the price of a failed insert and a
 * retry, each a write on the busiest tables); within this process the increments of one counter
 * therefore go one after another through `serial` (one per store: `StoreWriteQueues.counters`), and
 * only other processes can still race.
 */
export function nextInSequence(counters: Model<CounterDoc>, serial: KeyedSerial, _id: string): Promise<number> {
  return serial.run(_id, () =>
    upsertRetryingFirstRace(async () => {
      const counter = await counters.findOneAndUpdate({ _id }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean<CounterDoc>().exec();
      if (!counter) throw new Error(`counter ${_id} was not returned by the upsert`);
      return counter.seq;
    }),
  );
}
