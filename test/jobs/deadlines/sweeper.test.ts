import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allSlotNames, deadlineJobId } from '../../../jobs/deadlines';
import { markForResync } from '../../../jobs/deadlines/sweeper';
import { startRedisServer, type RunningRedis } from '../../../scripts/services/redis';
import type { Case } from '../../../src/cases';
import { uniqueSuffix } from '../../support/isolation';
import { CG_STAFF, DeadlineHarness, sleep, waitFor } from './support/harness';

async function ownRedis(): Promise<RunningRedis> {
  return startRedisServer({ dir: join(process.env.WHISTLEBOT_TEST_DATA_DIR ?? tmpdir(), `deadlines-redis-${uniqueSuffix()}`) });
}

/** Slot job id → the time it is delayed until, for every slot of the cases. */
async function schedule(h: DeadlineHarness, cases: Case[]): Promise<Map<string, number | undefined>> {
  const result = new Map<string, number | undefined>();
  for (const c of cases) {
    for (const slot of allSlotNames(c)) {
      const jobId = deadlineJobId(c.id, slot);
      const score = await h.redis.zscore(h.engine.queue.keys.delayed ?? '', jobId);
      result.set(jobId, score === null ? undefined : Math.floor(Number(score) / 4096));
    }
  }
  return result;
}

describe('a Redis flush loses no deadline', () => {
  let redis: RunningRedis;
  let h: DeadlineHarness | undefined;

  beforeEach(async () => {
    redis = await ownRedis();
  });
  afterEach(async () => {
    await h?.stop();
    await redis.stop();
  });

  it('the repeatable sweeper puts every pending deadline back at the same time', async () => {
    h = await DeadlineHarness.start({ redis: { REDIS_URL: redis.url }, sweepEveryMs: 1_000 });
    const cases: Case[] = [];
    for (let i = 0; i < 4; i++) cases.push(await h.whistledCase(['zhujian']));
    for (let i = 0; i < 3; i++) {
      const c = await h.whistledCase(['chengguan', 'zhujian']);
      await h.run(c.id, { type: 'accept' }, CG_STAFF);
      cases.push(i === 0 ? await h.run(c.id, { type: 'feedback', text: '已修复' }, CG_STAFF) : await h.load(c.id));
    }
    const pending = [...(await schedule(h, cases))].filter(([, at]) => at !== undefined);
    // 4 × accept, 3 × (finish + the assisting department's accept); one finished: verify instead of finish.
    expect(pending).toHaveLength(4 + 3 * 2);

    await h.redis.flushall();
    expect(await h.redis.dbsize()).toBe(0);

    await waitFor('the sweeper to restore every deadline', async () => {
      const after = await schedule(h!, cases);
      return pending.every(([jobId]) => after.get(jobId) !== undefined);
    }, 10_000);
    const after = await schedule(h, cases);
    for (const [jobId, at] of pending) expect(Math.abs((after.get(jobId) ?? 0) - (at ?? 0))).toBeLessThanOrEqual(100);
    expect([...after].filter(([, at]) => at !== undefined)).toHaveLength(pending.length);
  });

  it('deadlines that passed while Redis was empty are reminded at once, exactly once', async () => {
    h = await DeadlineHarness.start({ redis: { REDIS_URL: redis.url }, sweepEveryMs: 600_000 });
    // The scheduler's first sweep runs at start; one still reading the store when Redis is flushed
    // would put the case's jobs back and the deadlines would not pass unseen.
    await waitFor('the first scheduled sweep', async () => (await h!.redis.exists(`${h!.prefix}:deadlines:last-full-sweep`)) === 1);
    const c = await h.whistledCase(['zhujian']);
    await h.redis.flushall();
    await sleep(7_500); // 50%, 80% and the deadline (with the first escalation) pass unseen
    expect(h.fake.inbox.webhook('wh-zhujian')).toHaveLength(0);

    const sweeper = h.engine.sweeper;
    if (!sweeper) throw new Error('no sweeper');
    const reports = await Promise.all([sweeper.sweepOnce(), sweeper.sweepOnce()]);
    expect(reports.reduce((sum, r) => sum + r.added, 0)).toBeGreaterThanOrEqual(1);
    await waitFor('the catch-up reminder', () => h!.fake.inbox.webhook('wh-zhujian').length >= 1 && h!.fake.inbox.appChat('chatstreet').length >= 1);
    await sweeper.sweepOnce();
    await sleep(1_000);

    // Only the catch-up is checked here: on a busy machine the planned overdue reminder (9 s) may already have come too.
    const texts = () => h!.fake.inbox.webhook('wh-zhujian').map((m) => (m.body.text as { content: string }).content);
    const catchUp = texts().filter((t) => t.startsWith('【时限已到】'));
    expect(catchUp).toHaveLength(1);
    expect(catchUp[0]).toMatch(/住建局接哨已超时 \d秒/);
    expect(h.fake.inbox.appChat('chatstreet')).toHaveLength(1);
    const alerts = (await h.deadlineEvents(c.id)).map((e) => e.details.alert);
    expect(alerts.filter((a) => a === 'accept:due' || a === 'accept:esc:1')).toEqual(['accept:due', 'accept:esc:1']);

    // The schedule then carries on as planned: the overdue reminder and the second escalation at 9 s.
    await waitFor('the overdue reminder', () => texts().some((t) => t.startsWith('【超时催办】')));
    await waitFor('the leadership escalation', () => h!.fake.inbox.appChat('chatleaders').length === 1);
    expect(texts().filter((t) => t.startsWith('【时限已到】'))).toHaveLength(1);
    expect(texts().filter((t) => t.startsWith('【超时催办】'))).toHaveLength(1);
  });

  it('with Redis intact, a periodic run syncs only the cases marked for it, and everything again once the last full sweep is old', async () => {
    h = await DeadlineHarness.start({ redis: { REDIS_URL: redis.url }, sweepEveryMs: 600_000 });
    const sweeper = h.engine.sweeper;
    if (!sweeper) throw new Error('no sweeper');
    const [a, b] = [await h.whistledCase(['zhujian']), await h.whistledCase(['zhujian'])];
    const pendingOf = async (c: Case) => [...(await schedule(h!, [c]))].filter(([, at]) => at !== undefined).map(([id]) => id);
    const [jobA] = await pendingOf(a);
    const [jobB] = await pendingOf(b);
    if (!jobA || !jobB) throw new Error('no pending deadline');
    // The scheduler's first run may have swept already: without its record, the next run is a full sweep.
    await h.redis.del(`${h.prefix}:deadlines:last-full-sweep`);
    expect((await sweeper.sweepDue()).full).toBe(true);

    // Two jobs lost without a flush (a sync that failed): only the marked case is synced again.
    await h.engine.queue.remove(jobA);
    await h.engine.queue.remove(jobB);
    await markForResync(h.redis, h.prefix, a.id);
    const quick = await sweeper.sweepDue();
    expect(quick).toMatchObject({ full: false, cases: 1, added: 1 });
    expect(await pendingOf(a)).toEqual([jobA]);
    expect(await pendingOf(b)).toEqual([]);
    expect(await h.redis.scard(`${h.prefix}:deadlines:resync`)).toBe(0);

    // An hour after the last full sweep the next run is a full one again, and b is back too.
    await h.redis.set(`${h.prefix}:deadlines:last-full-sweep`, String(Date.now() - 3_600_001));
    const full = await sweeper.sweepDue();
    expect(full).toMatchObject({ full: true, added: 1 });
    expect(await pendingOf(b)).toEqual([jobB]);
  });
});
