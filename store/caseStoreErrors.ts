import type { Model } from 'mongoose';
import { withoutUndefined } from './caseMapping';

/**
 * MongoDB says 11000 for a duplicate key, and so does FerretDB v1 for an insert or an upsert. When
 * an update makes one, FerretDB v1 answers code 1 with its backend's words: SQLite's "UNIQUE
 * constraint failed", PostgreSQL's "duplicate key value violates unique constraint".
 */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === 11000 || code === 11001) return true;
  return code === 1 && typeof message === 'string' && /duplicate key|UNIQUE constraint failed/i.test(message);
}

/**
 * Runs an upsert, again when it lost the race of two first-ever upserts on a new `_id` (the loser
 * then updates the winner's document); at most five tries.
 */
export async function upsertRetryingFirstRace<T>(upsert: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await upsert();
    } catch (error) {
      if (attempt >= 5 || !isDuplicateKeyError(error)) throw error;
    }
  }
}

/**
 * Inserts `doc`; false when a document with its unique key is already there. Hot paths insert
 * instead of upserting: on FerretDB v1 an upsert reads the whole collection, an insert does not.
 */
export function insertUnlessPresent<T>(model: Model<T>, doc: T): Promise<boolean> {
  return insertedUnlessDuplicate(() => model.create(doc));
}

/** True when `insert` stored its document, false when its unique key was taken; any other error is thrown. */
async function insertedUnlessDuplicate(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return false;
  }
}

/**
 * `insertUnlessPresent` for a document already in its stored shape (our own keys, claims and
 * records, every field typed): written through the driver, without the mongoose document that
 * casts, defaults and validates it (a large share of the process's CPU on the hot paths, which
 * insert several such documents for every change). Undefined members are left out, not stored as null.
 */
export function insertPlainUnlessPresent<T>(model: Model<T>, doc: T & { _id: string }): Promise<boolean> {
  return insertedUnlessDuplicate(() => model.collection.insertOne(withoutUndefined(doc) as never));
}
