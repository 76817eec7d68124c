import { text, toAppChat, toUsers } from '../../../../bots/wecom/messages';
import type { Outbox } from '../../../../jobs/outbox';
import { OutboundHarness, sleep, waitFor } from '../../../bots/wecom/outbound/support/harness';

describe('outbox under WeChat Work failures', () => {
  let h: OutboundHarness;
  let outbox: Outbox;

  beforeEach(async () => {
    h = await new OutboundHarness('wecom_failures').start();
    outbox = h.outbox();
  });
  afterEach(() => h.stop());

  const sendOutcomes = (): (number | string)[] =>
    h.fake.callLog('/cgi-bin/message/send').map((c) => (c.outcome.kind === 'answered' ? c.outcome.errcode : c.outcome.kind));

  it('45009: backs off with growing pauses, then delivers once without using up attempts', async () => {
    h.worker({ rateLimitPauseMs: 200 });
    await h.client().getAccessToken();
    h.fake.failNext('rate-limit', 3, { path: '/cgi-bin/message/send' });
    const started = Date.now();
    const { jobId } = await outbox.enqueueOutbound(toUsers(['ratelimited'], text('稍后送达')), 'rl-1');

    await waitFor('delivery after 45009s', () => h.fake.inbox.user('ratelimited').length === 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200 + 400 + 800 - 100);
    expect(sendOutcomes()).toEqual([45009, 45009, 45009, 0]);
    const job = await outbox.queue.getJob(jobId);
    await waitFor('job completed', async () => (await job?.getState()) === 'completed');
    expect((await outbox.queue.getJob(jobId))?.attemptsMade).toBeLessThanOrEqual(1);
  });

  it('45009 in the middle of a burst: every message still delivered exactly once', async () => {
    h.worker({ rateLimitPauseMs: 100, concurrency: 3 });
    h.fake.failNext('rate-limit', 5, { path: '/cgi-bin/message/send' });
    const users = Array.from({ length: 12 }, (_, i) => `rlb${i}`);
    await Promise.all(users.map((u) => outbox.enqueueOutbound(toUsers([u], text(u)), `rlb-${u}`)));
    await waitFor('12 deliveries', () => h.fake.inbox.all().length >= 12);
    await sleep(200);
    for (const u of users) expect(h.fake.inbox.user(u)).toHaveLength(1);
    expect(sendOutcomes().filter((o) => o === 45009)).toHaveLength(5);
  });

  it('HTTP 5xx: retried with backoff and delivered once', async () => {
    h.worker();
    h.fake.failNext('server-error', 2, { path: '/cgi-bin/message/send' });
    const { jobId } = await outbox.enqueueOutbound(toUsers(['flaky'], text('重试')), 'http5xx');
    await waitFor('delivery after 5xx', () => h.fake.inbox.user('flaky').length === 1);
    expect(sendOutcomes()).toEqual(['http-error', 'http-error', 0]);
    await waitFor('job completed', async () => (await (await outbox.queue.getJob(jobId))?.getState()) === 'completed');
    expect((await outbox.queue.getJob(jobId))?.attemptsMade).toBe(3);
  });

  it('no answer: the client times out, the job is retried and delivered once', async () => {
    h.worker({ client: h.client({ timeoutMs: 300 }) });
    h.fake.failNext('hang', 1, { path: '/cgi-bin/message/send' });
    await outbox.enqueueOutbound(toUsers(['slow'], text('超时后重试')), 'hang-1');
    await waitFor('delivery after a timeout', () => h.fake.inbox.user('slow').length === 1);
    expect(sendOutcomes()).toEqual(['hang', 0]);
  });

  it('a request WeChat Work refuses (unknown chat) fails at once instead of retrying', async () => {
    h.worker();
    const { jobId } = await outbox.enqueueOutbound(toAppChat('nosuchchat', text('x')), 'bad-chat');
    await waitFor('job failed', async () => (await (await outbox.queue.getJob(jobId))?.getState()) === 'failed');
    const job = await outbox.queue.getJob(jobId);
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toContain('86003');
    expect(h.fake.callLog('/cgi-bin/appchat/send')).toHaveLength(1);
  });
});
