import type { Model } from 'mongoose';
import { isDuplicateKeyError } from './caseStoreErrors';
import type { CounterDoc } from './models/counter';

/** The next value of a named sequence: one atomic `$inc` upsert (no projection: FerretDB). */
export async function nextInSequence(counters: Model<CounterDoc>, _id: string): Promise<number> {
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
