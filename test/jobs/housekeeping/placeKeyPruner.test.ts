import { Queue } from 'bullmq';
import type { Connection } from 'mongoose';
import { createPlaceKeyPruner, PLACE_KEY_PRUNE_QUEUE, PLACE_KEY_PRUNE_SCHEDULER } from '../../../jobs/housekeeping/placeKeyPruner';
import { bullConnection } from '../../../jobs/outbox';
import { DEFAULT_DUPLICATE_RULE, type Actor, type CommandContext } from '../../../src/cases';
import { placeKeysUnreadBefore } from '../../../store/duplicatePlaceKeys';
import { CaseRepository } from '../../../store/caseRepository';
import { connectMongo } from '../../../store/connection';
import { casePlaceKeyModel } from '../../../store/models/caseKeys';
import { testMongoUri, testPrefix, testRedisUrl } from '../../support/isolation';
import { waitFor } from '../../support/wait';
import { actors, draft, simplePlan } from '../../src/cases/fixtures';

const HOUR = 3_600_000;
const NOW = new Date('2026-11-23T02:00:00Z');
let connection: Connection;
let repo: CaseRepository;

const at = (now: Date, actor: Actor = actors.reporter): CommandContext => ({ actor, channel: 'sandbox', now, plan: simplePlan });
const placed = (locationText: string) => ({ ...draft, districtId: 'd-prune', parsed: { ...draft.parsed, locationText, lat: 39.9, lng: 116.4 } });

beforeAll(async () => {
  connection = await connectMongo(testMongoUri('place-key-prune'));
  repo = new CaseRepository(connection);
  await repo.ensureIndexes();
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

describe('pruning duplicate-lookup keys', () => {
  test('keys no report can read are deleted; recent ones stay and still find their duplicate', async () => {
    const cutoff = placeKeysUnreadBefore(NOW, DEFAULT_DUPLICATE_RULE);
    const old = await repo.create(placed('和平街3号'), at(new Date(cutoff.getTime() - HOUR)));
    const recent = await repo.create(placed('和平街9号'), at(new Date(NOW.getTime() - 2 * HOUR)));
    const keys = casePlaceKeyModel(connection);
    const keysOf = async (caseId: string) => keys.countDocuments({ caseId }).exec();
    expect(await keysOf(old.id)).toBeGreaterThan(0);

    const deleted = await repo.prunePlaceKeys(NOW);
    expect(deleted).toBe(2); // the old case's location key and grid cell
    expect(await keysOf(old.id)).toBe(0);
    expect(await keysOf(recent.id)).toBe(2);
    const report = { districtId: 'd-prune', category: 'road', locationKey: '和平街9号', createdAt: NOW };
    expect((await repo.findOpenDuplicates(report)).map((c) => c.id)).toEqual([recent.id]);
    expect(await repo.prunePlaceKeys(NOW)).toBe(0);
  });

  test('the hourly job is scheduled once, however many workers start it, and runs the prune', async () => {
    const prefix = testPrefix('prune');
    const connectionOptions = bullConnection(testRedisUrl());
    const calls: Date[] = [];
    const prune = async (now: Date) => {
      calls.push(now);
      return 0;
    };
    const first = createPlaceKeyPruner({ connection: connectionOptions, prefix, prune, everyMs: 60 * 60_000 });
    const second = createPlaceKeyPruner({ connection: connectionOptions, prefix, prune, everyMs: 60 * 60_000 });
    const queue = new Queue(PLACE_KEY_PRUNE_QUEUE, { connection: connectionOptions, prefix });
    try {
      await first.ensureScheduled();
      await second.ensureScheduled();
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.every])).toEqual([[PLACE_KEY_PRUNE_SCHEDULER, 60 * 60_000]]);
      // A scheduler's first run is due at once.
      await waitFor('the first prune', () => calls.length > 0);
      expect(calls).toHaveLength(1);
    } finally {
      await first.close();
      await second.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  });
});
