import type { Connection, Model } from 'mongoose';
import { isDuplicateKeyError } from './caseStoreErrors';
import type { CounterDoc } from './models/counter';

/** Per connection and counter: the last increment this process sent for it. */
const inFlight = new WeakMap<Connection, Map<string, Promise<unknown>>>();

/**
 * The next value of a named sequence: one atomic `$inc` upsert (no projection: FerretDB). FerretDB
 * v1's `$inc` is a read and a write, so two racing callers can get the same value (the unique
 * indexes behind case numbers and reporter keys catch it, at the price of a failed insert and a
 * retry, each a write on the busiest tables); within this process the increments of one counter
 * therefore go one after another, and only other processes can still race.
 */
export function nextInSequence(counters: Model<CounterDoc>, _id: string): Promise<number> {
  const queues = inFlight.get(counters.db) ?? new Map<string, Promise<unknown>>();
  inFlight.set(counters.db, queues);
  const next = (queues.get(_id) ?? Promise.resolve()).catch(() => undefined).then(() => increment(counters, _id));
  queues.set(_id, next);
  void next.catch(() => undefined).then(() => { if (queues.get(_id) === next) queues.delete(_id); });
  return next;
}

async function increment(counters: Model<CounterDoc>, _id: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const counter = await counters.findOneAndUpdate({ _id }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean<CounterDoc>().exec();
      if (!counter) throw new Error(`counter ${_id} was not returned by the upsert`);
      return counter.seq;
    } catch (error) {
      // Two first-ever upserts can race on the new _id; the loser simply increments the winner's doc.
      if (!isDuplicateKeyError(error) || attempt >= 5) throw error;
    }
  }
}
