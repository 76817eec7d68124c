import { buttonInteractionCard, multipleInteractionCard, replaceCard, replaceCardButton } from '../../../../bots/wecom/cards';
import { appChatCreateBody, cardUpdate, image, markdown, templateCard, text, toAppChat, toDepartment, toUsers, toWebhook, webhookText, type DepartmentChat } from '../../../../bots/wecom/messages';
import type { Outbox } from '../../../../jobs/outbox';
import type { WecomApiClient } from '../../../../bots/wecom/apiClient';
import { REDIS_SETUPS, useRedis } from '../../../support/redisSetups';
import { OutboundHarness, waitFor } from '../../../bots/wecom/outbound/support/harness';

describe.each(REDIS_SETUPS)('outbound round trips through the outbox to the fake WeChat Work server, on %s', (setup) => {
  let h: OutboundHarness;
  // Before useRedis: jest runs afterAll hooks in the order they are declared, and the cluster must outlive the harness.
  afterAll(() => h.stop());
  const redis = useRedis(setup);
  let outbox: Outbox;
  let client: WecomApiClient;

  beforeAll(async () => {
    h = await new OutboundHarness('wecom_roundtrip', {}, redis()).start();
    client = h.client();
    outbox = h.outbox();
    h.worker({ client });
  });

  async function deliveredTo(box: () => unknown[], count: number): Promise<void> {
    await waitFor(`${count} message(s)`, () => box().length >= count);
  }

  it('sends text and markdown app messages to members', async () => {
    await outbox.enqueueOutbound(toUsers(['zhangsan', 'lisi'], text('东四北大街路灯不亮，请处理')), 'rt-text');
    await outbox.enqueueOutbound(toUsers(['zhangsan'], markdown('**新案件** <font color="warning">A-001</font>')), 'rt-md');
    await deliveredTo(() => h.fake.inbox.user('zhangsan'), 2);

    const [first, second] = h.fake.inbox.user('zhangsan');
    expect(first?.body).toMatchObject({ msgtype: 'text', touser: 'zhangsan|lisi', agentid: h.fake.agentId, text: { content: '东四北大街路灯不亮，请处理' } });
    expect(second?.body).toMatchObject({ msgtype: 'markdown', markdown: { content: '**新案件** <font color="warning">A-001</font>' } });
    expect(h.fake.inbox.user('lisi')).toHaveLength(1);
  });

  it('sends button_interaction and multiple_interaction cards', async () => {
    const buttons = buttonInteractionCard({
      taskId: 'case-A001-accept',
      title: '新吹哨：路灯不亮',
      desc: '东四街道',
      rows: [{ keyname: '地点', value: '东四北大街 12 号' }],
      buttons: [
        { text: '接单', key: 'accept:A001', style: 1 },
        { text: '退回', key: 'return:A001', style: 2 },
      ],
    });
    const choices = multipleInteractionCard({
      taskId: 'case-A001-rate',
      title: '请评价处理结果',
      selects: [{ question_key: 'satisfaction', title: '满意度', option_list: [{ id: 's5', text: '满意' }, { id: 's1', text: '不满意' }] }],
      submit: { text: '提交', key: 'rate:A001' },
    });

    await outbox.enqueueOutbound(toUsers(['wangwu'], templateCard(buttons)), 'rt-card-buttons');
    await outbox.enqueueOutbound(toUsers(['wangwu'], templateCard(choices)), 'rt-card-multi');
    await deliveredTo(() => h.fake.inbox.user('wangwu'), 2);

    const byType = new Map(h.fake.inbox.user('wangwu').map((m) => [(m.body.template_card as { card_type: string }).card_type, m]));
    expect(byType.get('button_interaction')?.body.template_card).toEqual(buttons);
    expect(byType.get('button_interaction')?.responseCode).toBeDefined();
    expect(byType.get('multiple_interaction')?.body.template_card).toEqual(choices);
  });

  it('updates a card after a tap, for the clicking user and for everyone', async () => {
    const card = buttonInteractionCard({ taskId: 'case-A002-accept', title: '新吹哨', buttons: [{ text: '接单', key: 'accept:A002' }] });
    await outbox.enqueueOutbound(toUsers(['u1', 'u2'], templateCard(card)), 'rt-update-card');
    await deliveredTo(() => h.fake.inbox.user('u1'), 1);
    const sent = h.fake.inbox.user('u1')[0];
    if (!sent) throw new Error('card not delivered');

    // A tap by u1 arrives with a response_code; we grey out u1's buttons…
    const tapCode = h.fake.issueResponseCode(sent.msgid);
    await outbox.enqueueOutbound(cardUpdate(replaceCardButton(tapCode, '已接单', { userIds: ['u1'] })), 'rt-update-u1');
    // …and with the code message/send returned, replace the card for every recipient.
    const done = buttonInteractionCard({ taskId: 'case-A002-accept', title: '已由 u1 接单', buttons: [{ text: '已接单', key: 'accepted:A002' }] });
    await outbox.enqueueOutbound(cardUpdate(replaceCard(sent.responseCode ?? '', done, 'all')), 'rt-update-all');
    await waitFor('two card updates', () => sent.updates.length === 2);

    const calls = h.fake.callLog('/cgi-bin/message/update_template_card').map((c) => c.body);
    expect(calls).toEqual(
      expect.arrayContaining([
        { userids: ['u1'], response_code: tapCode, button: { replace_name: '已接单' }, agentid: h.fake.agentId },
        { atall: 1, response_code: sent.responseCode, template_card: done, agentid: h.fake.agentId },
      ]),
    );
    expect(sent.updates.map((u) => u.for)).toEqual(expect.arrayContaining([['u1'], 'all']));
  });

  it('creates an app chat and sends into it', async () => {
    const { chatId } = await client.createAppChat(appChatCreateBody({ name: '东四街道-城管科', owner: 'zhangsan', userIds: ['zhangsan', 'lisi', 'wangwu'] }));
    expect(h.fake.appChat(chatId)).toMatchObject({ name: '东四街道-城管科', owner: 'zhangsan', userlist: ['zhangsan', 'lisi', 'wangwu'] });

    await outbox.enqueueOutbound(toAppChat(chatId, text('请城管科 30 分钟内报到')), 'rt-appchat-text');
    await outbox.enqueueOutbound(toAppChat(chatId, markdown('### 今日待办 3 件')), 'rt-appchat-md');
    await deliveredTo(() => h.fake.inbox.appChat(chatId), 2);
    expect(h.fake.inbox.appChat(chatId).map((m) => m.body)).toEqual([
      { chatid: chatId, msgtype: 'text', text: { content: '请城管科 30 分钟内报到' } },
      { chatid: chatId, msgtype: 'markdown', markdown: { content: '### 今日待办 3 件' } },
    ]);
  });

  it('sends through a group robot webhook with mentions, and routes department notices by their configured channel', async () => {
    await outbox.enqueueOutbound(toWebhook('robot-key-1', webhookText('请接单', ['zhaoliu'])), 'rt-webhook-text');
    await outbox.enqueueOutbound(toWebhook('robot-key-1', markdown('> 超时提醒')), 'rt-webhook-md');
    await deliveredTo(() => h.fake.inbox.webhook('robot-key-1'), 2);
    expect(h.fake.inbox.webhook('robot-key-1').map((m) => m.body)).toEqual([
      { msgtype: 'text', text: { content: '请接单', mentioned_list: ['zhaoliu'] } },
      { msgtype: 'markdown', markdown: { content: '> 超时提醒' } },
    ]);
    const webhookCall = h.fake.callLog('/cgi-bin/webhook/send')[0];
    expect(webhookCall?.query).toEqual({ key: 'robot-key-1' }); // no access token on webhooks

    const { chatId } = await client.createAppChat(appChatCreateBody({ userIds: ['a', 'b'], chatId: 'deptchat1' }));
    const viaWebhook: DepartmentChat = { kind: 'webhook', key: 'robot-key-2' };
    const viaAppChat: DepartmentChat = { kind: 'appchat', chatId };
    await outbox.enqueueOutbound(toDepartment(viaWebhook, { format: 'text', content: '新案件', mentionUserIds: ['@all'] }), 'rt-dept-webhook');
    await outbox.enqueueOutbound(toDepartment(viaAppChat, { format: 'text', content: '新案件', mentionUserIds: ['a'] }), 'rt-dept-appchat');
    await deliveredTo(() => h.fake.inbox.webhook('robot-key-2'), 1);
    await deliveredTo(() => h.fake.inbox.appChat('deptchat1'), 1);
    expect(h.fake.inbox.webhook('robot-key-2')[0]?.body).toEqual({ msgtype: 'text', text: { content: '新案件', mentioned_list: ['@all'] } });
    expect(h.fake.inbox.appChat('deptchat1')[0]?.body).toEqual({ chatid: 'deptchat1', msgtype: 'text', text: { content: '新案件' } });
  });

  it('sends an uploaded image', async () => {
    const { mediaId } = await client.uploadMedia('image', { data: Buffer.from('\x89PNG fake image bytes'), filename: 'scene.png', contentType: 'image/png' });
    await outbox.enqueueOutbound(toUsers(['imguser'], image(mediaId)), 'rt-image');
    await deliveredTo(() => h.fake.inbox.user('imguser'), 1);
    expect(h.fake.inbox.user('imguser')[0]?.body).toMatchObject({ msgtype: 'image', image: { media_id: mediaId } });
  });

  it('validates every call against the access token it issued', () => {
    const tokenCalls = h.fake.callLog().filter((c) => c.path !== '/cgi-bin/gettoken' && c.path !== '/cgi-bin/webhook/send');
    expect(tokenCalls.length).toBeGreaterThan(0);
    for (const call of tokenCalls) expect(call.query.access_token).toMatch(/^fake_at_/);
    expect(tokenCalls.every((c) => c.outcome.kind === 'answered' && c.outcome.errcode === 0)).toBe(true);
    expect(h.fake.callLog('/cgi-bin/gettoken')).toHaveLength(1);
  });
});
