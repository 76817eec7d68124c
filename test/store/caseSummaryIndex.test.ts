import Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { createCase, whistle, type Case } from '../../src/cases';
import { summarise, type CaseSummary } from '../../src/console/summary';
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

test('the board reads open cases and the cases reported or finished since the day began, not the finished years', () => {
  const today = new Date(T0.getTime() + 100 * 24 * HOUR);
  const old = reported('1', T0);
  const openOld = ok(whistle(reported('2', T0), { departments: ['zhujian'] }, ctx(actors.dispatcher, { now: new Date(T0.getTime() + HOUR) })));
  const reportedToday = reported('3', new Date(today.getTime() + HOUR));
  const oldFinishedToday = reported('4', T0);
  for (const s of [closedAt(old, new Date(T0.getTime() + 2 * HOUR)), summarise(openOld), closedAt(reportedToday, new Date(today.getTime() + 2 * HOUR)), closedAt(oldFinishedToday, new Date(today.getTime() + 3 * HOUR))]) index.apply(s);

  expect(ids(index.open())).toEqual(['2']);
  expect(ids(index.openOrTouchedSince(today))).toEqual(['2', '3', '4']);
  // Asked again the next day: yesterday's finished cases are still at hand, the old one was pruned.
  expect(ids(index.openOrTouchedSince(new Date(today.getTime() + 24 * HOUR)))).toEqual(['2']);
  // A board for a day long past is still right: the pruned cases are walked again.
  expect(ids(index.openOrTouchedSince(new Date(T0.getTime() - HOUR)))).toEqual(['1', '2', '3', '4']);
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
