import type { Model } from 'mongoose';

// MongoDB says 11000 for a duplicate key; FerretDB v1 says 11000 on insert and 1 when an update makes one.
export function isDuplicateKeyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 11000 || code === 11001;
}

/**
 * Inserts `doc`; false when a document with its unique key is already there. Hot paths insert
 * instead of upserting: on FerretDB v1 an upsert reads the whole collection, an insert does not.
 */
export async function insertUnlessPresent<T>(model: Model<T>, doc: T): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return false;
  }
}
