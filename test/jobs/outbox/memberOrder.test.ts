import type { ChildProcess } from 'node:child_process';
import { buttonInteractionCard } from '../../../bots/wecom/cards';
import { templateCard, text, toUsers, type OutboundMessage } from '../../../bots/wecom/messages';
import type { InboxMessage } from '../../../fakes/wecom';
import type { Outbox } from '../../../jobs/outbox';
import { REDIS_SETUPS, useRedis } from '../../support/redisSetups';
import { captureLogger, type LogLine } from '../../support/capturedLogs';
import { OutboundHarness, waitFor } from '../../bots/wecom/outbound/support/harness';
import { startWorkerProcess } from '../../bots/wecom/outbound/support/spawnWorker';

const SEND = '/cgi-bin/message/send';

const card = (label: string) => templateCard(buttonInteractionCard({ taskId: label, title: `【吹哨】${label}`, buttons: [{ text: '接哨报到', key: `accept:${label}`, style: 1 }] }));

/** What a delivered message stands for: a text's content, a card's task id; a digest stands for its items, oldest first. */
function labelsOf(box: InboxMessage[]): string[] {
  return box.flatMap((m) => {
    if (m.msgtype === 'template_card') return [String((m.body.template_card as { task_id: string }).task_id)];
    const content = String((m.body.text as { content: string }).content);
    if (!content.startsWith('【消息汇总】')) return [content];
    return content.split('\n\n').slice(1).map((part) => part.replace(/^\d+\. /, ''));
  });
}

const queueIsEmpty = async (outbox: Outbox) => {
  const counts = await outbox.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(counts).every((n) => n === 0);
};

describe.each(REDIS_SETUPS)("a member's messages go out in the order they were queued, on %s", (setup) => {
  let h: OutboundHarness | undefined;
  // Before useRedis: the cluster must outlive the harness.
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });
  const redis = useRedis(setup);

  it('40 messages to one lead (texts, and cards also to a second lead) through 2 workers of concurrency 4, answers jittery, some sends refused once', async () => {
    const harness = (h = await new OutboundHarness('member_order', {}, redis()).start());
    harness.fake.jitter(SEND, 40);
    // Every fifth send is refused (HTTP 502) and retried: a retry must not let later messages overtake it.
    for (let i = 0; i < 8; i++) harness.fake.failNext('server-error', 1, { path: SEND, skip: i === 0 ? 2 : 4 });
    const outbox = harness.outbox();
    const labels = Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? `order-card-${i}` : `第${i}条`));
    const messageOf = (label: string): OutboundMessage => (label.startsWith('order-card') ? toUsers(['order-lead', 'order-lead2'], card(label)) : toUsers(['order-lead'], text(label)));

    for (const label of labels.slice(0, 20)) await outbox.enqueueOutbound(messageOf(label), `order-${label}`);
    harness.worker({ memberLimit: null, concurrency: 4 });
    harness.worker({ memberLimit: null, concurrency: 4 });
    for (const label of labels.slice(20)) await outbox.enqueueOutbound(messageOf(label), `order-${label}`);

    await waitFor('all 40 delivered', () => harness.fake.inbox.user('order-lead').length >= 40, 40_000);
    await waitFor('the queue empty', () => queueIsEmpty(outbox));
    expect(labelsOf(harness.fake.inbox.user('order-lead'))).toEqual(labels);
    expect(labelsOf(harness.fake.inbox.user('order-lead2'))).toEqual(labels.filter((l) => l.startsWith('order-card')));
    expect(harness.fake.callLog(SEND).filter((c) => c.outcome.kind === 'http-error')).toHaveLength(8);
    expect(await outbox.queue.getFailed()).toEqual([]);
  });
});

describe("a member's order with per-member pacing and digests", () => {
  let h: OutboundHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('texts that would wait are merged into digests, but never past a card queued before them: flattened, the lead gets everything in order', async () => {
    const windows = [{ perWindow: 5, windowMs: 2_000 }];
    const harness = (h = await new OutboundHarness('member_order_digest', { memberLimit: windows }).start());
    harness.fake.jitter(SEND, 20);
    const outbox = harness.outbox();
    const labels = Array.from({ length: 24 }, (_, i) => (i === 7 || i === 12 || i === 17 ? `digest-card-${i}` : `提醒${i}`));
    for (const label of labels) await outbox.enqueueOutbound(toUsers(['digest-lead'], label.startsWith('digest-card') ? card(label) : text(label)), `digest-order-${label}`);
    harness.worker({ memberLimit: { windows, marginMs: 1_000 }, concurrency: 4 });
    harness.worker({ memberLimit: { windows, marginMs: 1_000 }, concurrency: 4 });

    await waitFor('every message sent', () => queueIsEmpty(outbox), 60_000);
    const box = harness.fake.inbox.user('digest-lead');
    expect(labelsOf(box)).toEqual(labels);
    expect(box.filter((m) => m.msgtype === 'template_card')).toHaveLength(3);
    expect(box.some((m) => m.msgtype === 'text' && String((m.body.text as { content: string }).content).startsWith('【消息汇总】'))).toBe(true);
    expect(harness.fake.memberDrops()).toEqual([]);
  });
});

describe("a member's next message that is lost or stuck does not hold up the rest for ever", () => {
  let h: OutboundHarness | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = undefined;
    await h?.stop();
    h = undefined;
  });

  const contents = (userId: string) => labelsOf(h?.fake.inbox.user(userId) ?? []);

  it('a lost job ahead of them (gone from the queue) is skipped at once, with a warning', async () => {
    const harness = (h = await new OutboundHarness('member_order_lost').start());
    const outbox = harness.outbox();
    const logs: LogLine[] = [];
    const lost = await outbox.enqueueOutbound(toUsers(['lost-lead'], text('丢失的消息')), 'lost-a');
    await (await outbox.queue.getJob(lost.jobId))?.remove();
    await outbox.enqueueOutbound(toUsers(['lost-lead'], text('第二条')), 'lost-b');
    await outbox.enqueueOutbound(toUsers(['lost-lead'], text('第三条')), 'lost-c');
    harness.worker({ memberLimit: null, logger: captureLogger(logs) });

    await waitFor('the two later messages', () => contents('lost-lead').length === 2);
    expect(contents('lost-lead')).toEqual(['第二条', '第三条']);
    expect(logs).toContainEqual(expect.objectContaining({ level: 40, skippedJobId: lost.jobId, reason: 'missing' }));
  });

  it('one stuck in a live worker past its lease is skipped, with a warning; the later ones keep their order', async () => {
    const harness = (h = await new OutboundHarness('member_order_stuck').start());
    const outbox = harness.outbox();
    const logs: LogLine[] = [];
    harness.fake.failNext('hang', 1, { path: SEND });
    harness.worker({ memberLimit: null, memberOrderLeaseMs: 1_000, client: harness.client({ timeoutMs: 120_000 }), logger: captureLogger(logs) });
    const stuck = await outbox.enqueueOutbound(toUsers(['stuck-lead'], text('卡住的消息')), 'stuck-a');
    await waitFor('the send to hang', () => harness.fake.callLog(SEND).some((c) => c.outcome.kind === 'hang'));
    for (const label of ['第二条', '第三条', '第四条']) await outbox.enqueueOutbound(toUsers(['stuck-lead'], text(label)), `stuck-${label}`);

    await waitFor('the later messages', () => contents('stuck-lead').length === 3, 20_000);
    expect(contents('stuck-lead')).toEqual(['第二条', '第三条', '第四条']);
    expect(logs).toContainEqual(expect.objectContaining({ level: 40, skippedJobId: stuck.jobId, reason: 'lease-expired' }));
    expect(await (await outbox.queue.getJob(stuck.jobId))?.getState()).toBe('active');
  });

  it('one whose worker was SIGKILLed mid-send is taken over by another worker and still goes first', async () => {
    const harness = (h = await new OutboundHarness('member_order_killed').start());
    const outbox = harness.outbox();
    const proc = startWorkerProcess(harness, { lockMs: 1_000, stalledMs: 300, concurrency: 4, orderLeaseMs: 15_000 });
    child = proc.child;
    await waitFor(`worker process ready (output: ${proc.output()})`, () => proc.output().includes('ready'), 30_000);

    harness.fake.failNext('hang', 1, { path: SEND });
    const labels = ['第一条', '第二条', '第三条', '第四条'];
    for (const label of labels) await outbox.enqueueOutbound(toUsers(['killed-lead'], text(label)), `killed-${label}`);
    await waitFor('the first send to hang', () => harness.fake.callLog(SEND).some((c) => c.outcome.kind === 'hang'));
    const exited = new Promise((resolve) => proc.child.once('exit', resolve));
    proc.child.kill('SIGKILL');
    await exited;

    harness.worker({ lockDurationMs: 1_000, stalledIntervalMs: 300, memberOrderLeaseMs: 15_000 });
    await waitFor('all four delivered', () => contents('killed-lead').length === 4, 30_000);
    expect(contents('killed-lead')).toEqual(labels);
  });
});
