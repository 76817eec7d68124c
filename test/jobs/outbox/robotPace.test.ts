import { text, toUsers, toWebhook, webhookText } from '../../../bots/wecom/messages';
import type { Outbox } from '../../../jobs/outbox';
import { REDIS_SETUPS, useRedis } from '../../support/redisSetups';
import { OutboundHarness, waitFor } from '../../bots/wecom/outbound/support/harness';

// A small robot limit so the test runs in seconds; WeChat Work's is 20 a minute.
const FAKE_LIMIT = { perWindow: 4, windowMs: 2_000 };
// The margin covers a send's time on the way to the fake, which in a loaded test process can pass 250 ms.
const LIMIT = { ...FAKE_LIMIT, marginMs: 750 };

describe.each(REDIS_SETUPS)('group robots are paced one by one (WeChat Work: 20 messages a minute per robot), on %s', (setup) => {
  const redis = useRedis(setup);
  let h: OutboundHarness;
  let outbox: Outbox;

  beforeEach(async () => {
    h = await new OutboundHarness('robot_pace', { webhookLimit: FAKE_LIMIT }, redis()).start();
    outbox = h.outbox();
  });
  afterEach(() => h.stop());

  const webhookOutcomes = () => h.fake.callLog('/cgi-bin/webhook/send').map((c) => (c.outcome.kind === 'answered' ? c.outcome.errcode : c.outcome.kind));
  const deliveryTimes = (key: string) => h.fake.inbox.webhook(key).map((m) => m.at.getTime()).sort((a, b) => a - b);

  it('a burst to one robot goes out at its limit from two workers, without a 45009, and holds up no one else', async () => {
    h.worker({ robotLimit: LIMIT, concurrency: 4 });
    h.worker({ robotLimit: LIMIT, concurrency: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => outbox.enqueueOutbound(toWebhook('wh-busy', webhookText(`第${i}条督办`)), `busy-${i}`)));
    await Promise.all(['u1', 'u2', 'u3'].map((u) => outbox.enqueueOutbound(toUsers([u], text('不受群机器人限速影响')), `app-${u}`)));
    await outbox.enqueueOutbound(toWebhook('wh-quiet', webhookText('另一个部门群')), 'quiet-1');

    await waitFor('the other messages', () => h.fake.inbox.user('u3').length === 1 && h.fake.inbox.webhook('wh-quiet').length === 1);
    // Everyone else was served while the busy robot still had most of its burst waiting.
    // (Counted, not timed: a loaded machine may be slow, but the others never wait for the robot's window.)
    expect(h.fake.inbox.webhook('wh-busy').length).toBeLessThanOrEqual(LIMIT.perWindow);

    await waitFor('the whole burst', () => h.fake.inbox.webhook('wh-busy').length === 10, 15_000);
    const times = deliveryTimes('wh-busy');
    for (let i = 0; i + LIMIT.perWindow < times.length; i++) expect((times[i + LIMIT.perWindow] ?? 0) - (times[i] ?? 0)).toBeGreaterThanOrEqual(LIMIT.windowMs);
    expect(webhookOutcomes().every((o) => o === 0)).toBe(true);
    const contents = h.fake.inbox.webhook('wh-busy').map((m) => (m.body.text as { content: string }).content).sort();
    expect(contents).toEqual(Array.from({ length: 10 }, (_, i) => `第${i}条督办`).sort());
  });

  it("a robot's 45009 holds that robot's messages a window on; the queue is not paused and no attempt is used", async () => {
    // An app-wide 45009 would pause everything for 5 s; a robot's must not.
    h.worker({ robotLimit: LIMIT, rateLimitPauseMs: 5_000 });
    h.fake.failNext('rate-limit', 1, { path: '/cgi-bin/webhook/send' });
    const refused = await outbox.enqueueOutbound(toWebhook('wh-shared', webhookText('被限流的提醒')), 'shared-1');
    await waitFor('the 45009', () => webhookOutcomes().length === 1);
    const refusedAt = Date.now();

    await outbox.enqueueOutbound(toUsers(['u9'], text('照常送达')), 'app-u9');
    await outbox.enqueueOutbound(toWebhook('wh-other', webhookText('其他部门群照常送达')), 'other-1');
    await waitFor('the other messages', () => h.fake.inbox.user('u9').length === 1 && h.fake.inbox.webhook('wh-other').length === 1);
    // Ordered, not timed: a paused queue would hold these behind the robot's message (5 s against its 2 s).
    expect(h.fake.inbox.webhook('wh-shared')).toHaveLength(0);

    await waitFor('the held message', () => h.fake.inbox.webhook('wh-shared').length === 1, 15_000);
    const otherDeliveries = [h.fake.inbox.user('u9')[0]?.at.getTime() ?? Infinity, h.fake.inbox.webhook('wh-other')[0]?.at.getTime() ?? Infinity];
    expect(Math.max(...otherDeliveries)).toBeLessThan(h.fake.inbox.webhook('wh-shared')[0]?.at.getTime() ?? 0);
    expect(h.fake.inbox.webhook('wh-shared')[0]?.at.getTime()).toBeGreaterThanOrEqual(refusedAt + LIMIT.windowMs - 100);
    expect(webhookOutcomes()).toEqual([45009, 0, 0]);
    const job = await outbox.queue.getJob(refused.jobId);
    await waitFor('the job to complete', async () => (await job?.getState()) === 'completed');
    expect((await outbox.queue.getJob(refused.jobId))?.attemptsMade).toBeLessThanOrEqual(1);
  });
});
