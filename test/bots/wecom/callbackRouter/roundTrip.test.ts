import type { InboundEvent } from '../../../../bots/wecom/events';
import { startHarness, TEST_CORP, type AcceptMode, type Harness } from '../inbound/support/harness';

describe.each<AcceptMode>(['queue-first', 'store-first'])('inbound callbacks round trip (%s)', (mode) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(`inbound_rt_${mode}`, { mode });
    h.dispatcher.on('text', (event) => void h.received.push(event));
    for (const type of ['image', 'voice', 'video', 'file', 'location', 'link', 'enter_agent', 'click', 'template_card_event', 'change_contact', 'unknown'] as const) {
      h.dispatcher.on(type, (event: InboundEvent) => void h.received.push(event));
    }
    h.startWorker();
  });

  afterAll(async () => {
    await h.close();
  });

  async function deliver(send: () => Promise<{ status: number; body: string }>): Promise<InboundEvent> {
    const before = h.received.length;
    const response = await send();
    expect(response).toEqual({ status: 200, body: '' });
    await h.waitFor(() => h.received.length > before);
    const event = h.received[h.received.length - 1]!;
    await h.waitFor(async () => (await h.store.isHandled(event.dedupeKey)));
    const stored = await h.store.findByKey(event.dedupeKey);
    expect(stored).toMatchObject({ _id: event.dedupeKey, type: event.type, fromUser: event.fromUser, status: 'handled' });
    expect(stored?.payload).toEqual(event);
    return event;
  }

  test('text (Chinese, with characters that need escaping)', async () => {
    const content = '幸福路12号路灯坏了 <急> & "请处理"';
    const event = await deliver(() => h.sender.sendText('zhangsan', content));
    expect(event).toMatchObject({ type: 'text', fromUser: 'zhangsan', toUser: TEST_CORP.corpId, agentId: TEST_CORP.agentId, content });
    expect(event.dedupeKey).toMatch(/^msg-\d+$/);
    expect(typeof event.createTime).toBe('number');
  });

  test('text whose words look like markup (<!DOCTYPE html>, <!ENTITY>) arrives intact: only real declarations are refused', async () => {
    const content = '网页上写着 <!DOCTYPE html> 和 <!ENTITY x "y">，链接打不开';
    const event = await deliver(() => h.sender.sendText('zhangsan', content));
    expect(event).toMatchObject({ type: 'text', content });
  });

  test('image', async () => {
    const event = await deliver(() => h.sender.sendImage('lisi', { picUrl: 'http://wework.qpic.cn/p/1', mediaId: 'MEDIA_1' }));
    expect(event).toMatchObject({ type: 'image', fromUser: 'lisi', picUrl: 'http://wework.qpic.cn/p/1', mediaId: 'MEDIA_1' });
  });

  test('voice', async () => {
    const event = await deliver(() => h.sender.sendVoice('lisi', { mediaId: 'VOICE_1', format: 'amr' }));
    expect(event).toMatchObject({ type: 'voice', mediaId: 'VOICE_1', format: 'amr' });
  });

  test('video', async () => {
    const event = await deliver(() => h.sender.sendVideo('lisi', { mediaId: 'VID_1', thumbMediaId: 'THUMB_1' }));
    expect(event).toMatchObject({ type: 'video', mediaId: 'VID_1', thumbMediaId: 'THUMB_1' });
  });

  test('file', async () => {
    const event = await deliver(() => h.sender.sendFile('lisi', { mediaId: 'FILE_1', fileName: '现场照片.zip' }));
    expect(event).toMatchObject({ type: 'file', mediaId: 'FILE_1', fileName: '现场照片.zip' });
  });

  test('location', async () => {
    const event = await deliver(() => h.sender.sendLocation('wangwu', { latitude: 39.915, longitude: 116.404, scale: 16, label: '北京市东城区幸福路' }));
    expect(event).toMatchObject({ type: 'location', latitude: 39.915, longitude: 116.404, scale: 16, label: '北京市东城区幸福路' });
  });

  test('link', async () => {
    const event = await deliver(() => h.sender.sendLink('wangwu', { title: '通知', description: '说明', url: 'https://example.org/a?b=1&c=2', picUrl: 'https://example.org/p.png' }));
    expect(event).toMatchObject({ type: 'link', title: '通知', description: '说明', url: 'https://example.org/a?b=1&c=2' });
  });

  test('enter_agent and menu click', async () => {
    expect(await deliver(() => h.sender.sendEnterAgent('zhaoliu'))).toMatchObject({ type: 'enter_agent', fromUser: 'zhaoliu' });
    expect(await deliver(() => h.sender.sendMenuClick('zhaoliu', 'menu:report'))).toMatchObject({ type: 'click', eventKey: 'menu:report' });
  });

  test('template_card_event: a button tap and a multiple_interaction submission', async () => {
    const tap = await deliver(() => h.sender.sendCardEvent({ fromUser: 'dept_lead', eventKey: 'case:42:accept', taskId: 'case-42-dispatch', responseCode: 'RC1' }));
    expect(tap).toMatchObject({
      type: 'template_card_event',
      eventKey: 'case:42:accept',
      taskId: 'case-42-dispatch',
      cardType: 'button_interaction',
      responseCode: 'RC1',
      selectedItems: [],
    });
    const selections = [
      { questionKey: 'satisfaction', optionIds: ['very'] },
      { questionKey: 'issues', optionIds: ['slow', 'rude'] },
    ];
    const submit = await deliver(() => h.sender.sendCardEvent({ fromUser: 'resident', eventKey: 'case:42:rate', taskId: 'case-42-rate', selectedItems: selections }));
    expect(submit).toMatchObject({ type: 'template_card_event', cardType: 'multiple_interaction', selectedItems: selections });
  });

  test('an unknown type is acknowledged, stored and logged, not an error', async () => {
    const xml = h.sender.eventXml({ fromUser: 'zhangsan' }, 'change_external_contact', { ChangeType: 'add_external_contact' });
    const event = await deliver(() => h.sender.sendXml(xml));
    expect(event).toMatchObject({ type: 'unknown', msgType: 'event', event: 'change_external_contact' });
    expect(h.logs.some((line) => line.msg === 'unknown callback type acknowledged' && line.event === 'change_external_contact')).toBe(true);
    // A change_contact kind we do not handle (tags) is unknown too.
    const tag = await deliver(() => h.sender.sendXml(h.sender.eventXml({ fromUser: 'sys' }, 'change_contact', { ChangeType: 'update_tag', TagId: 1 })));
    expect(tag).toMatchObject({ type: 'unknown', event: 'change_contact:update_tag' });
  });

  test('change_contact (ids only, from "sys"): each change is its own event, even within one second', async () => {
    const at = 1_700_000_100;
    const removed = await deliver(() => h.sender.sendContactChange({ changeType: 'delete_user', userId: 'grid-li' }, at));
    expect(removed).toEqual({ type: 'change_contact', changeType: 'delete_user', fromUser: 'sys', toUser: TEST_CORP.corpId, createTime: at, userId: 'grid-li', dedupeKey: removed.dedupeKey });
    const other = await deliver(() => h.sender.sendContactChange({ changeType: 'delete_user', userId: 'grid-wang' }, at));
    expect(other.dedupeKey).not.toBe(removed.dedupeKey);
    const renamed = await deliver(() => h.sender.sendContactChange({ changeType: 'update_user', userId: 'old-id', newUserId: 'new-id' }, at));
    expect(renamed).toMatchObject({ changeType: 'update_user', userId: 'old-id', newUserId: 'new-id' });
    const party = await deliver(() => h.sender.sendContactChange({ changeType: 'update_party', partyId: 31 }, at));
    expect(party).toMatchObject({ type: 'change_contact', changeType: 'update_party', partyId: 31 });
    expect(party).not.toHaveProperty('userId');
  });

  test('a retried callback (same MsgId, same card event) is stored once and handled once', async () => {
    const msgId = h.sender.nextMsgId();
    const before = h.received.length;
    const sends = await Promise.all([1, 2, 3].map(() => h.sender.sendText('retry_user', '重试的消息', { msgId })));
    expect(sends.every((r) => r.status === 200)).toBe(true);
    const cardXml = h.sender.eventXml({ fromUser: 'retry_user', createTime: 1_700_000_000 }, 'template_card_event', { EventKey: 'k', TaskId: 't1', CardType: 'button_interaction' });
    // The card callback is replayed with fresh timestamps and nonces, as WeChat Work's retries are.
    for (let i = 0; i < 3; i += 1) expect((await h.sender.sendXml(cardXml)).status).toBe(200);

    await h.waitFor(() => h.received.length >= before + 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const fresh = h.received.slice(before);
    expect(fresh.map((e) => e.type).sort()).toEqual(['template_card_event', 'text']);
    const keys = fresh.map((e) => e.dedupeKey);
    for (const key of keys) await h.waitFor(async () => (await h.store.isHandled(key)));
    const jobs = await h.queue.queue.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed']);
    expect(jobs.filter((job) => keys.includes(job.id ?? '')).length).toBe(2);
    expect(h.logs.filter((line) => line.msg === 'callback retry ignored').length).toBeGreaterThanOrEqual(4);
  });
});
