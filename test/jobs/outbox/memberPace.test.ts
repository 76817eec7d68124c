import { buttonInteractionCard } from '../../../bots/wecom/cards';
import { templateCard, text, toUsers, type OutboundMessage } from '../../../bots/wecom/messages';
import type { InboxMessage } from '../../../fakes/wecom';
import type { Outbox } from '../../../jobs/outbox';
import { nextDigestMessage, TEXT_CONTENT_MAX_BYTES } from '../../../jobs/outbox/memberDigest';
import { OutboundHarness, waitFor } from '../../bots/wecom/outbound/support/harness';

// WeChat Work's per-member limits (30 a minute, 1,000 an hour) on a compressed clock: the fake drops
// exactly as WeChat Work does, with the same two windows at once; the worker paces to the same numbers.
// Storms check that nothing is dropped whatever the timing; the digest tests need the first 30 sent
// well within the "minute", so theirs is longer.
const STORM_WINDOWS = [
  { perWindow: 30, windowMs: 3_000 },
  { perWindow: 40, windowMs: 8_000 },
];
const DIGEST_WINDOWS = [
  { perWindow: 30, windowMs: 6_000 },
  { perWindow: 40, windowMs: 20_000 },
];
// The production margin: WeChat Work counts on arrival, and under load arrivals lag sends unevenly.
const paced = (windows: typeof STORM_WINDOWS) => ({ windows, marginMs: 1_000 });

const whistleCard = (i: number) =>
  templateCard(
    buttonInteractionCard({
      taskId: `case-${i}-whistle`,
      title: `【吹哨】2026-${String(i).padStart(6, '0')} 路面塌陷`,
      buttons: [
        { text: '接哨报到', key: `accept:${i}`, style: 1 },
        { text: '退回', key: `return:${i}`, style: 2 },
      ],
    }),
  );

const taskIdOf = (m: InboxMessage) => String((m.body.template_card as { task_id: string }).task_id);
const contentOf = (m: InboxMessage) => String((m.body.text as { content: string }).content);

describe('app messages to one member are paced to WeChat Work\'s per-member limit (30 a minute, 1,000 an hour)', () => {
  let h: OutboundHarness | undefined;
  let outbox: Outbox;

  /** The fake with these windows, an outbox; workers are started by each test once its messages are queued. */
  async function start(windows: typeof STORM_WINDOWS): Promise<OutboundHarness> {
    h = await new OutboundHarness('member_pace', { memberLimit: windows }).start();
    outbox = h.outbox();
    return h;
  }
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const queueIsEmpty = async () => Object.values(await outbox.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).every((n) => n === 0);

  it('the fake drops what WeChat Work drops: an unpaced storm of 45 whistles to one lead loses cards, silently', async () => {
    const h = await start(STORM_WINDOWS);
    for (let i = 0; i < 45; i++) await outbox.enqueueOutbound(toUsers(['cg-lead'], whistleCard(i)), `storm-unpaced-${i}`);
    h.worker({ memberLimit: null, concurrency: 4 });
    await waitFor('every send answered', async () => h.fake.callLog('/cgi-bin/message/send').length === 45 && (await queueIsEmpty()));
    expect(h.fake.callLog('/cgi-bin/message/send').every((c) => c.outcome.kind === 'answered' && c.outcome.errcode === 0)).toBe(true);
    // 30 within the "minute" and 40 within the "hour" at most: at least 5 of the 45 never arrive (15 when all go within 3 s).
    expect(h.fake.inbox.user('cg-lead').length).toBeLessThanOrEqual(40);
    expect(h.fake.inbox.user('cg-lead').length + h.fake.memberDrops().length).toBe(45);
    expect(h.fake.memberDrops().every((d) => d.userId === 'cg-lead' && d.msgtype === 'template_card')).toBe(true);
  });

  it('a paced storm of 45 whistle cards to one lead (5 of them shared with a second lead) loses nothing and holds up no one else', async () => {
    const h = await start(STORM_WINDOWS);
    for (let i = 0; i < 45; i++) await outbox.enqueueOutbound(toUsers(i % 9 === 0 ? ['cg-lead', 'cg-lead2'] : ['cg-lead'], whistleCard(i)), `storm-${i}`);
    await outbox.enqueueOutbound(toUsers(['zj-lead'], text('其他部门照常送达')), 'other-dept');
    h.worker({ memberLimit: paced(STORM_WINDOWS), concurrency: 4 });
    h.worker({ memberLimit: paced(STORM_WINDOWS), concurrency: 4 });

    await waitFor('the other department', () => h.fake.inbox.user('zj-lead').length === 1);
    // The 15 the windows could not take yet wait as delayed jobs in Redis, not dropped.
    expect((await outbox.queue.getJobCounts('delayed')).delayed).toBeGreaterThan(0);

    await waitFor('the whole storm sent', queueIsEmpty, 40_000);
    expect(h.fake.memberDrops()).toEqual([]);
    expect(h.fake.inbox.user('cg-lead')).toHaveLength(45);
    // Queued last, the other department's message went out before the lead's held-back cards.
    const order = h.fake.inbox.all();
    expect(order.indexOf(h.fake.inbox.user('zj-lead')[0]!)).toBeLessThan(order.indexOf(h.fake.inbox.user('cg-lead')[30]!));
    expect(h.fake.memberDrops()).toEqual([]);
    expect(h.fake.inbox.user('cg-lead').map(taskIdOf).sort()).toEqual(Array.from({ length: 45 }, (_, i) => `case-${i}-whistle`).sort());
    expect(h.fake.inbox.user('cg-lead2').map(taskIdOf).sort()).toEqual([0, 9, 18, 27, 36].map((i) => `case-${i}-whistle`).sort());
    // Cards are never merged: every whistle is its own card with its own buttons.
    expect(h.fake.inbox.user('cg-lead').every((m) => m.msgtype === 'template_card' && m.responseCode !== undefined)).toBe(true);
    expect(await outbox.queue.getFailed()).toEqual([]);
  });

  it('merges the text notices that would have to wait into one digest, in order, and marks each merged one sent', async () => {
    const h = await start(DIGEST_WINDOWS);
    const notices = Array.from({ length: 40 }, (_, i) => `【催办提醒】2026-${String(i).padStart(6, '0')} 已超过受理时限`);
    for (const [i, notice] of notices.entries()) await outbox.enqueueOutbound(toUsers(['busy-lead'], text(notice)), `remind-${i}`);
    h.worker({ memberLimit: paced(DIGEST_WINDOWS), concurrency: 1 });

    await waitFor('every reminder sent', queueIsEmpty, 40_000);
    expect(h.fake.memberDrops()).toEqual([]);
    expect(h.fake.inbox.user('busy-lead')).toHaveLength(31);
    const box = h.fake.inbox.user('busy-lead');
    expect(box.slice(0, 30).map(contentOf)).toEqual(notices.slice(0, 30));
    const digest = contentOf(box[30]!);
    expect(digest).toMatch(/^【消息汇总】短时间内给您的消息较多，已合并为一条（共 10 条）：/);
    expect(digest.split('\n\n').slice(1)).toEqual(notices.slice(30).map((n, i) => `${i + 1}. ${n}`));
    expect(h.fake.memberDrops()).toEqual([]);

    // A merged message queued again (a retried caller) is recognised as sent.
    await outbox.queue.getJob((await outbox.enqueueOutbound(toUsers(['busy-lead'], text(notices[35]!)), 'remind-35')).jobId).then((job) => job?.remove());
    const again = await outbox.enqueueOutbound(toUsers(['busy-lead'], text(notices[35]!)), 'remind-35');
    await waitFor('the replay', async () => (await (await outbox.queue.getJob(again.jobId))?.getState()) === 'completed');
    expect((await outbox.queue.getJob(again.jobId))?.returnvalue).toEqual({ skipped: 'already-sent' });
    expect(h.fake.inbox.user('busy-lead')).toHaveLength(31);
  });

  it('sends WeChat Work refused (HTTP 5xx) give their turn back: retries do not use up the member\'s minute', async () => {
    const h = await start(DIGEST_WINDOWS);
    // A member's messages go out one at a time, in order, so 20 refusals in a row would all fall on the
    // first two (using up their attempts): every other send is refused instead, 20 times.
    for (let i = 0; i < 20; i++) h.fake.failNext('server-error', 1, { path: '/cgi-bin/message/send', skip: i === 0 ? 0 : 1 });
    for (let i = 0; i < 30; i++) await outbox.enqueueOutbound(toUsers(['retry-lead'], text(`第${i}条通知`)), `retry-${i}`);
    h.worker({ memberLimit: paced(DIGEST_WINDOWS), concurrency: 4 });
    await waitFor('every notice sent', queueIsEmpty, 40_000);
    expect(h.fake.callLog('/cgi-bin/message/send').filter((c) => c.outcome.kind === 'http-error')).toHaveLength(20);
    // 50 attempts, 30 of them delivered: all 30 as themselves, none held back into a digest.
    expect(h.fake.inbox.user('retry-lead').map(contentOf).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `第${i}条通知`).sort());
    expect(h.fake.memberDrops()).toEqual([]);
  });

  it('a digest waiting for its slot survives the worker being stopped: a new worker sends it', async () => {
    const h = await start(DIGEST_WINDOWS);
    for (let i = 0; i < 33; i++) await outbox.enqueueOutbound(toUsers(['night-lead'], text(`第${i}条提醒`)), `night-${i}`);
    const first = h.worker({ memberLimit: paced(DIGEST_WINDOWS), concurrency: 1 });
    await waitFor('the first 30 and the merged rest', async () => {
      const counts = await outbox.queue.getJobCounts('waiting', 'active', 'delayed');
      return h.fake.inbox.user('night-lead').length === 30 && counts.waiting === 0 && counts.active === 0 && counts.delayed === 1;
    });
    await first.close(true);

    h.worker({ memberLimit: paced(DIGEST_WINDOWS), concurrency: 1 });
    await waitFor('the digest', queueIsEmpty, 40_000);
    expect(h.fake.memberDrops()).toEqual([]);
    expect(h.fake.inbox.user('night-lead')).toHaveLength(31);
    expect(contentOf(h.fake.inbox.user('night-lead')[30]!)).toContain('（共 3 条）');
    expect(h.fake.memberDrops()).toEqual([]);
  });

  it('a digest too long for one message goes out in several, each at the member\'s next free time', async () => {
    const h = await start(DIGEST_WINDOWS);
    const long = (i: number) => `第${i}条：${'道路积水严重，请尽快派人处理。'.repeat(12)}`;
    for (let i = 0; i < 36; i++) await outbox.enqueueOutbound(toUsers(['flood-lead'], text(i < 30 ? `短消息${i}` : long(i))), `flood-${i}`);
    h.worker({ memberLimit: paced(DIGEST_WINDOWS), concurrency: 1 });
    await waitFor('every notice', queueIsEmpty, 40_000);
    const digests = h.fake.inbox.user('flood-lead').slice(30).map(contentOf);
    expect(digests.length).toBeGreaterThan(1);
    for (const d of digests) expect(Buffer.byteLength(d)).toBeLessThanOrEqual(TEXT_CONTENT_MAX_BYTES);
    const delivered = digests.join('\n');
    for (let i = 30; i < 36; i++) expect(delivered).toContain(long(i));
    expect(h.fake.memberDrops()).toEqual([]);
  });
});

describe('digest packing', () => {
  const item = (i: number, content: string): { idempotencyKey: string; message: OutboundMessage } => ({ idempotencyKey: `k${i}`, message: toUsers(['u'], text(content)) });

  it('sends a lone message exactly as queued, and packs the oldest that fit 2,048 bytes', () => {
    const lone = item(0, '只有一条');
    expect(nextDigestMessage('u', [lone])).toEqual({ message: lone.message, items: [lone] });
    const items = Array.from({ length: 10 }, (_, i) => item(i, `${i}`.repeat(600)));
    const packed = nextDigestMessage('u', items);
    expect(packed.items.map((x) => x.idempotencyKey)).toEqual(['k0', 'k1', 'k2']);
    expect(packed.message).toMatchObject({ channel: 'app', body: { msgtype: 'text', touser: 'u' } });
    const content = packed.message.channel === 'app' && packed.message.body.msgtype === 'text' ? packed.message.body.text.content : '';
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(TEXT_CONTENT_MAX_BYTES);
    // One too large to share a message goes on its own, as it was queued.
    const huge = item(9, '长'.repeat(700));
    expect(nextDigestMessage('u', [huge, item(1, 'x')]).items).toEqual([huge]);
  });
});
