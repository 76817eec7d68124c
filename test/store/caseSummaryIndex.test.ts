import Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { createCase, whistle, type Case } from '../../src/cases';
import { summarise, type CaseSummary } from '../../src/console/summary';
import { CaseRepository } from '../../store/caseRepository';
import { connectMongo } from '../../store/connection';
import { CaseSummaryFeed } from '../../store/caseSummaryFeed';
import { CaseSummaryIndex } from '../../store/caseSummaryIndex';
import { testMongoUri, testPrefix, testRedisUrl } from '../support/isolation';
import { actors, ctx, draft, HOUR, ok, T0 } from '../src/cases/fixtures';

let mongo: Connection;
let redis: Redis;
let index: CaseSummaryIndex;

beforeAll(async () => {
  mongo = await connectMongo(testMongoUri('summary-index'));
  redis = new Redis(testRedisUrl());
  index = new CaseSummaryIndex(mongo, new CaseSummaryFeed(redis, testPrefix('summary-index')), 'd1');
});

afterAll(async () => {
  await mongo.dropDatabase();
  await mongo.close();
  redis.disconnect();
});

function reported(id: string, at: Date): Case {
  return createCase(draft, { id, number: `2026-${id.padStart(6, '0')}` }, ctx(actors.reporter, { now: at }));
}

function closedAt(c: Case, at: Date): CaseSummary {
  return { ...summarise(c), state: 'closed', open: false, closedAt: at, version: c.version + 10 };
}

const ids = (cases: Iterable<CaseSummary>) => [...cases].map((c) => c.id).sort();

test('the board counts the cases reported and finished since the day began', () => {
  const today = new Date(T0.getTime() + 100 * 24 * HOUR);
  const old = reported('1', T0);
  const openOld = ok(whistle(reported('2', T0), { departments: ['zhujian'] }, ctx(actors.dispatcher, { now: new Date(T0.getTime() + HOUR) })));
  const reportedToday = reported('3', new Date(today.getTime() + HOUR));
  const oldFinishedToday = reported('4', T0);
  for (const s of [closedAt(old, new Date(T0.getTime() + 2 * HOUR)), summarise(openOld), closedAt(reportedToday, new Date(today.getTime() + 2 * HOUR)), closedAt(oldFinishedToday, new Date(today.getTime() + 3 * HOUR))]) index.apply(s);

  expect(ids(index.open())).toEqual(['2']);
  expect(index.board({ kind: 'district' }, new Date(today.getTime() + 4 * HOUR), today)).toMatchObject({ open: 1, todayIntake: 1, todayClosed: 2, red: 1 });
  // The next day, yesterday's cases are not today's; a day long past counts what happened since.
  expect(index.board({ kind: 'district' }, new Date(today.getTime() + 28 * HOUR), new Date(today.getTime() + 24 * HOUR))).toMatchObject({ open: 1, todayIntake: 0, todayClosed: 0 });
  expect(index.board({ kind: 'district' }, new Date(today.getTime() + 4 * HOUR), new Date(T0.getTime() - HOUR))).toMatchObject({ open: 1, todayIntake: 4, todayClosed: 3 });
  expect(index.board({ kind: 'department', deptCode: 'zhujian' }, new Date(today.getTime() + 4 * HOUR), today)).toMatchObject({ open: 1, todayIntake: 0, todayClosed: 0 });
  expect(index.size).toBe(4);
});

test('a case that is reopened is open again, and an older summary arriving late changes nothing', () => {
  const c = ok(whistle(reported('5', T0), { departments: ['zhujian'] }, ctx(actors.dispatcher)));
  const done = closedAt(c, new Date(T0.getTime() + HOUR));
  index.apply(done);
  expect(ids(index.open())).not.toContain('5');
  index.apply(summarise(c)); // older version
  expect(ids(index.open())).not.toContain('5');
  index.apply({ ...summarise(c), version: done.version + 1 });
  expect(ids(index.open())).toContain('5');
});

describe('the Redis snapshot of the read model', () => {
  const prefix = testPrefix('summary-snapshot');
  let repo: CaseRepository;
  const started: { index: CaseSummaryIndex; feed: CaseSummaryFeed }[] = [];
  const fresh = () => {
    const feed = new CaseSummaryFeed(redis, prefix);
    const i = new CaseSummaryIndex(mongo, feed, 'd1');
    started.push({ index: i, feed });
    return i;
  };

  beforeAll(async () => {
    repo = new CaseRepository(mongo);
    await repo.ensureIndexes();
    for (let i = 0; i < 5; i++) await repo.create({ ...draft, text: `快照${i}` }, ctx(actors.reporter));
  });
  afterAll(async () => {
    // As the console module does: the read model first, then its feed (whose subscriber it opened).
    for (const { index: i, feed } of started) {
      await i.close();
      await feed.close();
    }
  });

  test('a first start scans the store and fills the snapshot; the next start reads the snapshot, then drops what the store lost', async () => {
    const first = fresh();
    await first.scanned();
    expect(first.size).toBe(5);
    expect(await redis.hlen(`${prefix}:console:summaries`)).toBe(5);

    // A summary only the snapshot has (its case gone from the store): the next start shows it at
    // first, which proves it read the snapshot, and drops it once the store scan is through.
    const ghost = { ...summarise(reported('999', T0)), districtId: 'd1' };
    await new CaseSummaryFeed(redis, prefix).keep([ghost]);
    const second = fresh();
    await second.ready();
    expect(second.get(ghost.id)).toBeDefined();
    // Changed while the scan runs (a case reported meanwhile): kept although the scan did not see it.
    const meanwhile = { ...summarise(reported('998', T0)), districtId: 'd1' };
    second.apply(meanwhile);
    await second.scanned();
    expect(second.get(ghost.id)).toBeUndefined();
    expect(second.get(meanwhile.id)).toBeDefined();
    expect(await redis.hexists(`${prefix}:console:summaries`, ghost.id)).toBe(0);
    expect(second.size).toBe(6);
  });

  test('an older summary never overwrites a newer one in the snapshot, and a flushed snapshot means a store scan', async () => {
    const feed = new CaseSummaryFeed(redis, prefix);
    const c = summarise(reported('997', T0));
    await feed.keep([{ ...c, version: 5, text: 'newer' }]);
    await feed.keep([{ ...c, version: 4, text: 'older' }]);
    await feed.publish({ ...c, version: 3, text: 'oldest' });
    const kept: CaseSummary[] = [];
    for await (const page of feed.snapshot()) kept.push(...page.filter((s) => s.id === c.id));
    expect(kept.map((s) => [s.version, s.text])).toEqual([[5, 'newer']]);

    await redis.del(`${prefix}:console:summaries`, `${prefix}:console:summaries:complete`);
    expect(await feed.isComplete()).toBe(false);
    const third = fresh();
    await third.ready();
    expect(third.size).toBe(5);
    expect(await feed.isComplete()).toBe(true);
  });
});
