import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../store/connection';
import { CaseRepository } from '../../store/caseRepository';
import { migrateStore, MigrationStopped } from '../../store/storeMigration';
import { testMongoUri } from '../support/isolation';
import { actors, ctx, draft } from '../src/cases/fixtures';

let from: Connection;
let to: Connection;
const sourceUri = testMongoUri('migrate-from');

beforeAll(async () => {
  from = await connectMongo(sourceUri);
  to = await connectMongo(testMongoUri('migrate-to'));
  const repo = new CaseRepository(from);
  await repo.ensureIndexes();
  for (let i = 0; i < 25; i++) await repo.create({ ...draft, text: `第${i}件` }, ctx(actors.reporter));
  await from.db!.collection('notes').insertMany(Array.from({ length: 7 }, (_, i) => ({ _id: `n${i}` as never, text: `note ${i}` })));
});
afterAll(async () => {
  await from.dropDatabase();
  await to.dropDatabase();
  await Promise.all([from.close(), to.close()]);
});

test('copies every collection with its indexes, resumes after a stop half-way, and verifies the counts', async () => {
  await expect(migrateStore(from.db!, to.db!, { batchSize: 10, stopAfterBatches: 2 })).rejects.toBeInstanceOf(MigrationStopped);
  const counts = async (c: Connection) => Promise.all((await c.db!.listCollections().toArray()).filter((x) => !x.name.startsWith('_')).map((x) => c.db!.collection(x.name).countDocuments()));
  const partial = (await counts(to)).reduce((a, b) => a + b, 0);
  const total = (await counts(from)).reduce((a, b) => a + b, 0);
  expect(partial).toBeGreaterThan(0);
  expect(partial).toBeLessThan(total);

  const lines: string[] = [];
  const report = await migrateStore(from.db!, to.db!, { batchSize: 10, log: (l) => lines.push(l) });
  expect(report.mismatched).toEqual([]);
  const byName = Object.fromEntries(report.collections.map((c) => [c.name, c]));
  expect(byName.cases).toMatchObject({ source: 25, target: 25 });
  expect(byName.notes).toMatchObject({ source: 7, target: 7 });
  expect(lines.some((l) => /^\w+: resuming after 20 of/.test(l))).toBe(true);
  expect(await to.db!.collection('notes').findOne({ _id: 'n3' as never })).toEqual({ _id: 'n3', text: 'note 3' });
  const sourceDoc = await from.db!.collection('cases').findOne({ text: '第7件' });
  expect(await to.db!.collection('cases').findOne({ _id: sourceDoc!._id })).toEqual(sourceDoc);
  const indexNames = async (c: Connection) => (await c.db!.collection('cases').indexes()).map((i) => i.name).sort();
  expect(await indexNames(to)).toEqual(await indexNames(from));

  // A third run has nothing left to do.
  const again = await migrateStore(from.db!, to.db!, { batchSize: 10 });
  expect(again.collections.every((c) => c.copiedThisRun === 0 && c.alreadyDone)).toBe(true);
});

test('copies a batch over documents already in the target, more of them than FerretDB v1 pools connections for one command', async () => {
  // A run resumed after a crash in the middle of a batch writes over what that batch had copied.
  // FerretDB v1 holds a pooled connection (100 per database) for each upsert of one command until it
  // ends, so a batch of 150 over existing documents sent as one command never finished.
  const source = from.useDb(`${from.name}_big`, { useCache: false });
  const target = to.useDb(`${to.name}_big`, { useCache: false });
  try {
    const docs = Array.from({ length: 150 }, (_, i) => ({ _id: `b${String(i).padStart(3, '0')}` as never, text: `big ${i}` }));
    await source.db!.collection('bulk').insertMany(docs);
    await target.db!.collection('bulk').insertMany(docs.map((d) => ({ ...d, text: 'stale copy' })));
    const report = await migrateStore(source.db!, target.db!, { batchSize: 1000 });
    expect(report.mismatched).toEqual([]);
    expect(await target.db!.collection('bulk').countDocuments({ text: 'stale copy' })).toBe(0);
    expect(await target.db!.collection('bulk').findOne({ _id: 'b149' as never })).toEqual({ _id: 'b149', text: 'big 149' });
  } finally {
    await Promise.all([source.dropDatabase(), target.dropDatabase()]);
  }
});

test('the command refuses a missing or non-MongoDB target and the source itself, with what to give', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [require.resolve('tsx/cli'), join(__dirname, '../../scripts/store-migrate.ts'), ...args], { env: { ...process.env, MONGODB_URI: sourceUri }, encoding: 'utf8' });
  expect(run()).toMatchObject({ status: 64, stderr: expect.stringContaining('usage: npm run store:migrate -- --to mongodb://') });
  expect(run('--to', 'postgres://x')).toMatchObject({ status: 64 });
  expect(run('--to', sourceUri)).toMatchObject({ status: 64, stderr: expect.stringContaining('names the store it would copy from') });
  expect(run('--to', `${sourceUri}/`)).toMatchObject({ status: 64 });
});
