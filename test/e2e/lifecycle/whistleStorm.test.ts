import { WecomApiClient } from '../../../bots/wecom/apiClient';
import { submitReport } from '../../../commands/submitReport';
import { bullConnection, createOutboxWorker, type OutboxWorker } from '../../../jobs/outbox';
import { taskIdOf, TestApp } from '../../support/testApp';
import { testDistrictApp } from '../../bots/wecom/lifecycle/support/district';
import { gridReport } from '../../bots/wecom/lifecycle/support/reports';

// WeChat Work's per-member windows (30 a minute, 1,000 an hour) and the robots' 20 a minute, on a
// compressed clock; the fake drops app messages beyond a member's limit silently, as WeChat Work does.
const MEMBER_WINDOWS = [
  { perWindow: 30, windowMs: 3_000 },
  { perWindow: 40, windowMs: 8_000 },
];

/** A storm of whistles to one department: its leads get every card, the reporter every notice, nothing is dropped. */
describe('a storm of 45 whistles to one department through the lifecycle', () => {
  // The composed app's web role makes the cases; the one outbox worker is this test's, paced on the compressed clock.
  const h = new TestApp('lifecycle_storm', { ...testDistrictApp, role: 'web', fake: { memberLimit: MEMBER_WINDOWS } });
  let worker: OutboxWorker;
  beforeAll(async () => {
    await h.start();
    const { env, redis } = h.runtime;
    worker = createOutboxWorker({
      connection: bullConnection(env.REDIS_URL),
      prefix: env.QUEUE_PREFIX,
      client: WecomApiClient.fromEnv(env, redis),
      redis,
      ratePerMinute: 600_000,
      concurrency: 8,
      memberLimit: { windows: MEMBER_WINDOWS, marginMs: 1_000 },
      robotLimit: { perWindow: 20, windowMs: 1_000, marginMs: 100 },
    });
  });
  afterAll(async () => {
    await worker.close();
    await h.stop();
  });

  it('reaches both 住建 leads with all 45 whistle cards and the reporter with all 45 notices, none dropped', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 45; i++) {
      const submitted = await submitReport(h.lifecycle.deps, gridReport());
      expect(submitted.outcome).toBe('whistled');
      numbers.push(submitted.case.number);
    }
    await h.settle(60_000);

    expect(h.fake.memberDrops()).toEqual([]);
    expect(await h.failedSends()).toEqual([]);
    for (const lead of ['zj-lead1', 'zj-lead2']) {
      const cards = h.cards(lead, 'whistle');
      expect(cards).toHaveLength(45);
      expect(new Set(cards.map(taskIdOf)).size).toBe(45);
      expect(cards.every((c) => c.responseCode !== undefined)).toBe(true);
    }
    // The reporter's 45 「已吹哨」 notices, each on its own or (when they came faster than the limit) in a digest.
    const told = h.texts({ user: 'grid-zhang' }).join('\n');
    for (const number of numbers) expect(told).toContain(number);
    expect(h.texts({ webhook: 'wh-zhujian' }).filter((t) => t.includes('吹哨'))).toHaveLength(45);
  });
});
