import type { Connection, mongo } from 'mongoose';
import { replaceByIdInCommandSizedChunks } from './commandSizedChunks';

type Db = NonNullable<Connection['db']>;
type Doc = mongo.Document;

/** Where a copy stands, kept in the target so that a run stopped half-way resumes where it stopped. */
const CHECKPOINTS = '_whistlebot_migration';

export interface CollectionCopy {
  name: string;
  source: number;
  target: number;
  copiedThisRun: number;
  /** True when the collection had been copied completely by an earlier run. */
  alreadyDone: boolean;
}

export interface MigrationReport {
  collections: CollectionCopy[];
  /** Collections whose counts differ after the copy (empty when the copy is verified). */
  mismatched: string[];
}

export interface MigrationOptions {
  batchSize?: number;
  log?: (line: string) => void;
  /** Stops after this many batches, as a crash would (tests of resuming). */
  stopAfterBatches?: number;
}

interface Checkpoint {
  _id: string;
  lastId?: mongo.Document['_id'];
  copied: number;
  done: boolean;
}

export class MigrationStopped extends Error {}

async function collectionNames(db: Db): Promise<string[]> {
  const listed = await db.listCollections({}, { nameOnly: true }).toArray();
  return listed.map((c) => c.name).filter((name) => !name.startsWith('system.') && name !== CHECKPOINTS).sort();
}

async function copyIndexes(source: Db, target: Db, name: string): Promise<void> {
  for (const index of await source.collection(name).indexes()) {
    if (index.name === '_id_') continue;
    const { key, name: indexName, unique, sparse, expireAfterSeconds, partialFilterExpression } = index;
    await target.collection(name).createIndex(key, {
      ...(indexName !== undefined && { name: indexName }),
      ...(unique !== undefined && { unique }),
      ...(sparse !== undefined && { sparse }),
      ...(expireAfterSeconds !== undefined && { expireAfterSeconds }),
      ...(partialFilterExpression !== undefined && { partialFilterExpression }),
    });
  }
}

/**
 * Copies every collection of `source` into `target` in `_id` order, a batch at a time; each batch
 * is an upsert by `_id` followed by a checkpoint, so a second run after a crash goes on from the
 * last checkpoint and copying a document twice changes nothing. Indexes are made first. At the end
 * every collection's count is compared on both sides.
 */
export async function migrateStore(source: Db, target: Db, options: MigrationOptions = {}): Promise<MigrationReport> {
  const batchSize = options.batchSize ?? 1000;
  const log = options.log ?? (() => undefined);
  const checkpoints = target.collection<Checkpoint>(CHECKPOINTS);
  let batches = 0;
  const collections: CollectionCopy[] = [];

  for (const name of await collectionNames(source)) {
    const total = await source.collection(name).countDocuments();
    const checkpoint = (await checkpoints.findOne({ _id: name })) ?? { _id: name, copied: 0, done: false };
    const alreadyDone = checkpoint.done;
    let copiedThisRun = 0;
    if (!checkpoint.done) {
      await copyIndexes(source, target, name);
      if (checkpoint.copied > 0) log(`${name}: resuming after ${checkpoint.copied.toLocaleString('en')} of ${total.toLocaleString('en')}`);
      const filter: mongo.Filter<Doc> = checkpoint.lastId === undefined ? {} : { _id: { $gt: checkpoint.lastId } };
      const cursor = source.collection<Doc>(name).find(filter).sort({ _id: 1 }).batchSize(batchSize);
      let batch: mongo.WithId<Doc>[] = [];
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        if (options.stopAfterBatches !== undefined && batches >= options.stopAfterBatches) throw new MigrationStopped(`stopped after ${batches} batches`);
        await replaceByIdInCommandSizedChunks(batch, (replacements) => target.collection<Doc>(name).bulkWrite(replacements, { ordered: false }));
        checkpoint.copied += batch.length;
        checkpoint.lastId = batch[batch.length - 1]!._id;
        copiedThisRun += batch.length;
        await checkpoints.replaceOne({ _id: name }, checkpoint, { upsert: true });
        batches += 1;
        log(`${name}: ${checkpoint.copied.toLocaleString('en')} of ${total.toLocaleString('en')}`);
        batch = [];
      };
      for await (const doc of cursor) {
        batch.push(doc);
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      checkpoint.done = true;
      await checkpoints.replaceOne({ _id: name }, checkpoint, { upsert: true });
    }
    const copied = await target.collection(name).countDocuments();
    collections.push({ name, source: total, target: copied, copiedThisRun, alreadyDone });
  }
  const mismatched = collections.filter((c) => c.source !== c.target).map((c) => c.name);
  return { collections, mismatched };
}
