import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startFerretdb, type RunningFerretdb } from '../../../scripts/services/ferretdb';
import { waitFor } from '../../support/wait';

/** The schema SQL of a SQLite database, as its file (and write-ahead log) hold it in plain text. */
function schemaText(file: string): string {
  return [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('\n');
}

describe('our FerretDB launcher', () => {
  let dir: string;
  let ferretdb: RunningFerretdb;
  let client: InstanceType<typeof mongoose.mongo.MongoClient>;

  beforeAll(async () => {
    dir = await mkdtemp(join(process.env.WHISTLEBOT_TEST_DATA_DIR ?? tmpdir(), 'ferretdb-launcher-'));
    ferretdb = await startFerretdb({ dir });
    client = await mongoose.mongo.MongoClient.connect(ferretdb.uri);
  });
  afterAll(async () => {
    await client.close();
    await ferretdb.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('gives every new collection an index on the expression FerretDB queries `_id` with, and lookups still answer', async () => {
    const db = client.db('launcher');
    await db.collection('cases').insertMany([{ _id: 'c1' as never, n: 1 }, { _id: 'c2' as never, n: 2 }]);
    await db.collection('cards').insertOne({ _id: 't1' as never });
    const file = join(dir, 'sqlite', 'launcher.sqlite');
    await waitFor('the pushdown indexes', () => (schemaText(file).match(/_wb_id_pushdown/g) ?? []).length >= 2, 10_000);
    expect(schemaText(file)).toContain(`(_ferretdb_sjson->'$._id')`);
    expect(await db.collection('cases').findOne({ _id: 'c2' as never })).toEqual({ _id: 'c2', n: 2 });
    // Our index is not FerretDB's: it lists only its own, and the unique _id still holds.
    expect((await db.collection('cases').indexes()).map((i) => i.name)).toEqual(['_id_']);
    await expect(db.collection('cases').insertOne({ _id: 'c1' as never, n: 3 })).rejects.toThrow(/duplicate key/i);
    // A dropped database is not brought back by the indexer.
    await db.dropDatabase();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(existsSync(file)).toBe(false);
  });
});
