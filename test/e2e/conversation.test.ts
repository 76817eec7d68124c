import { readFile } from 'node:fs/promises';
import type { InboxMessage } from '../../fakes/wecom';
import { caseByNumber, casesReportedBy } from '../../commands';
import { KEY } from '../../bots/wecom/lifecycle/buttonKeys';
import { textOf } from '../support/testApp';
import { sleep, waitFor } from '../support/wait';
import { buttonKey, cardOf, conversationApp, rowsOf } from '../bots/wecom/conversation/support/conversationApp';

/**
 * A grid member's conversation end to end: messages in as WeChat Work delivers them, the bot's
 * answers read from the fake WeChat Work server, cases read from the store.
 */
describe('conversation with grid members and departments', () => {
  const h = conversationApp('conversation');

  beforeAll(() => h.start());
  afterAll(() => h.stop());

  /**
   * What a user receives from now on. Lookups go by kind and content, not by position: the
   * lifecycle also tells reporters about their earlier cases (吹哨, 接哨…) in between.
   */
  function watch(userId: string) {
    const from = h.inboxOf(userId).length;
    return {
      card: (n = 1) => h.cardAfter(userId, from, n),
      text: (needle: string) => h.textContaining(userId, from, needle),
    };
  }

  async function confirm(userId: string, card: InboxMessage): Promise<string> {
    const updates = card.updates.length;
    await h.inbound.tap(userId, card, buttonKey(cardOf(card), '确认上报'));
    const update = await h.nthUpdate(card, updates + 1);
    const number = /已上报 (\d{4}-\d{6})/.exec(JSON.stringify(update))?.[1];
    if (!number) throw new Error(`no case number in ${JSON.stringify(update)}`);
    return number;
  }

  async function draftKeys(userId: string): Promise<string[]> {
    return h.runtime.redis.keys(`${h.env.QUEUE_PREFIX}:draft:{${userId}}*`);
  }

  it('text-only report: one message, a confirmation card, a whistled case', async () => {
    const zhang = watch('grid-zhang');
    await h.inbound.text('grid-zhang', '人民路有人乱扔垃圾，堆了好几天');
    const card = await zhang.card();
    expect(cardOf(card).card_type).toBe('button_interaction');
    expect(rowsOf(cardOf(card))).toMatchObject({ 类别: '环境卫生', 地点: '人民路', 紧急程度: '日常哨', 承办部门: '城管局' });
    expect(cardOf(card).button_list?.map((b) => b.text)).toEqual(['确认上报', '修改类别', '修改紧急程度', '取消']);

    const number = await confirm('grid-zhang', card);
    const stored = await caseByNumber(h.lifecycle.deps, number);
    expect(stored).toMatchObject({
      state: 'whistled',
      source: 'grid',
      reporter: { userId: 'grid-zhang' },
      gridId: 'nongji-1',
      communityId: 'nongji',
      streetId: 'wenming',
      parsed: { category: 'sanitation', locationText: '人民路' },
    });
    expect(stored?.assignments.map((a) => a.deptCode)).toEqual(['chengguan']);
    await waitFor('the whistle card at 城管局', () => h.inboxOf('chengguan-lead').some((m) => JSON.stringify(m.body).includes(number)));
  });

  it('photo, then text, then location in three messages become one draft and one case', async () => {
    const li = watch('grid-li');
    await h.inbound.image('grid-li');
    await li.text('已收到照片，请再用一句话描述问题和地点');
    await h.inbound.text('grid-li', '路边井盖丢了，很危险');
    await li.text('请问具体在什么位置');
    await h.inbound.location('grid-li', '文明路与和平街交叉口', 39.9042, 116.4074);
    const card = await li.card();
    expect(rowsOf(cardOf(card))).toMatchObject({ 类别: '井盖问题', 地点: '文明路与和平街交叉口', 照片: '1 张', 承办部门: '水务局' });

    const number = await confirm('grid-li', card);
    const stored = await caseByNumber(h.lifecycle.deps, number);
    expect(stored).toMatchObject({ text: '路边井盖丢了，很危险', parsed: { category: 'manhole', locationText: '文明路与和平街交叉口', lat: 39.9042, lng: 116.4074 } });
    expect(stored?.media).toHaveLength(1);
    // The photo was fetched through media/get into our storage.
    expect(h.fake.callLog('/cgi-bin/media/get')).not.toHaveLength(0);
    const ref = stored?.media[0]?.ref ?? '';
    expect((await readFile(`${h.mediaDir}/${ref}`)).toString()).toMatch(/^photo-/);
  });

  it('a photo WeChat Work cannot serve right now is fetched again; one it no longer has is asked for again', async () => {
    const li = watch('grid-li');
    h.fake.failNext('server-error', 1, { path: '/cgi-bin/media/get' });
    await h.inbound.image('grid-li');
    await li.text('已收到照片');
    expect(h.fake.callLog('/cgi-bin/media/get').map((c) => c.outcome.kind)).toContain('http-error');

    await h.inbound.image('grid-li', { mediaId: 'expired-media-id' });
    await li.text('照片暂时无法保存，请稍后重新发送。');
    await h.inbound.text('grid-li', '取消');
    await li.text('已取消本次上报。');
  });

  it('missing place: one short question, the answer completes the draft', async () => {
    const wang = watch('grid-wang');
    await h.inbound.text('grid-wang', '路灯坏了好几个，晚上黑乎乎的');
    expect(await wang.text('位置')).toBe('请问具体在什么位置？可以直接回复地址，或发送一个位置。');
    expect(await h.runtime.redis.hget(`${h.env.QUEUE_PREFIX}:draft:{grid-wang}`, 'awaitingPlace')).toBe('1');
    await h.inbound.text('grid-wang', '将军府小区南门');
    const card = await wang.card();
    expect(rowsOf(cardOf(card))).toMatchObject({ 类别: '路灯照明', 地点: '将军府小区南门' });
    const number = await confirm('grid-wang', card);
    expect((await caseByNumber(h.lifecycle.deps, number))?.parsed.locationText).toBe('将军府小区南门');
  });

  it('corrects category and urgency on the card before confirming', async () => {
    const zhao = watch('grid-zhao');
    await h.inbound.text('grid-zhao', '和平社区北门路面坑坑洼洼，积了一大滩水');
    const card = await zhao.card();
    const taskId = cardOf(card).task_id;

    await h.inbound.tap('grid-zhao', card, buttonKey(cardOf(card), '修改类别'));
    const chooser = (await h.nthUpdate(card, 1)).template_card as { card_type: string; task_id: string; select_list: { option_list: { id: string }[] }[]; submit_button: { key: string } };
    expect(chooser.card_type).toBe('multiple_interaction');
    expect(chooser.task_id).toBe(taskId);
    expect(chooser.select_list[0]?.option_list.map((o) => o.id)).toContain('drainage');
    await h.inbound.tap('grid-zhao', card, chooser.submit_button.key, [{ questionKey: 'category', optionIds: ['drainage'] }]);
    const corrected = (await h.nthUpdate(card, 2)).template_card as Parameters<typeof rowsOf>[0];
    expect(rowsOf(corrected)).toMatchObject({ 类别: '排水防涝', 承办部门: '水务局' });

    await h.inbound.tap('grid-zhao', card, buttonKey(corrected, '修改紧急程度'));
    const urgency = (await h.nthUpdate(card, 3)).template_card as { submit_button: { key: string }; select_list: { option_list: { id: string }[] }[] };
    expect(urgency.select_list[0]?.option_list.map((o) => o.id)).toEqual(['emergency', 'key', 'daily']);
    await h.inbound.tap('grid-zhao', card, urgency.submit_button.key, [{ questionKey: 'urgency', optionIds: ['key'] }]);
    expect(rowsOf((await h.nthUpdate(card, 4)).template_card as Parameters<typeof rowsOf>[0])).toMatchObject({ 类别: '排水防涝', 紧急程度: '攻坚哨' });

    const number = await confirm('grid-zhao', card);
    const stored = await caseByNumber(h.lifecycle.deps, number);
    expect(stored).toMatchObject({ state: 'whistled', parsed: { category: 'drainage', urgency: 'key', confidence: 1 } });
    expect(stored?.assignments[0]?.deptCode).toBe('shuiwu');
  });

  it('on patrol, a second whole report while a card waits becomes its own draft; both cards work', async () => {
    const li = watch('grid-li');
    await h.inbound.text('grid-li', '人民路有人乱扔垃圾，没人清理');
    const first = await li.card(1);
    await h.inbound.text('grid-li', '农机社区东门绿化带的树倒了');
    const second = await li.card(2);
    expect(rowsOf(cardOf(first))).toMatchObject({ 类别: '环境卫生' });
    expect(rowsOf(cardOf(second))).toMatchObject({ 类别: '园林绿化', 地点: '农机社区东门' });
    expect(cardOf(second).button_list?.[0]?.key).not.toBe(cardOf(first).button_list?.[0]?.key);

    const secondNumber = await confirm('grid-li', second);
    const firstNumber = await confirm('grid-li', first);
    expect(firstNumber).not.toBe(secondNumber);
    expect((await caseByNumber(h.lifecycle.deps, firstNumber))?.text).toBe('人民路有人乱扔垃圾，没人清理');
    expect((await caseByNumber(h.lifecycle.deps, secondNumber))?.text).toBe('农机社区东门绿化带的树倒了');
  });

  it('corrects a category the chooser does not list by typing it', async () => {
    const zhao = watch('grid-zhao');
    await h.inbound.text('grid-zhao', '和平社区北门有人在绿地上搭了个棚子');
    const first = await zhao.card(1);
    await h.inbound.text('grid-zhao', '改成违法建设');
    const second = await zhao.card(2);
    expect(rowsOf(cardOf(second))).toMatchObject({ 类别: '违法建设', 承办部门: '城管局' });
    await h.inbound.text('grid-zhao', '改成应急哨');
    const third = await zhao.card(3);
    expect(rowsOf(cardOf(third))).toMatchObject({ 类别: '违法建设', 紧急程度: '应急哨' });
    expect(new Set([first, second, third].map((m) => cardOf(m).task_id)).size).toBe(3);

    const number = await confirm('grid-zhao', third);
    expect((await caseByNumber(h.lifecycle.deps, number))?.parsed).toMatchObject({ category: 'illegal_construction', urgency: 'emergency' });
    // The earlier cards belong to the same draft, now confirmed.
    await h.inbound.tap('grid-zhao', first, buttonKey(cardOf(first), '确认上报'));
    expect(JSON.stringify(await h.nthUpdate(first, 1))).toContain(`已上报 ${number}`);
  });

  it('an unknown sender gets a polite explanation and nothing is stored', async () => {
    await h.inbound.text('stranger', '文明路123号门口路面塌陷了一个大坑');
    await h.inbound.image('stranger');
    await waitFor('two answers', () => h.inboxOf('stranger').length === 2);
    for (const answer of h.inboxOf('stranger')) expect(textOf(answer)).toBe('您好，您还未登记为网格员，暂时无法通过本应用上报或查询事件。请联系街道管理员登记后再试。');
    expect(await draftKeys('stranger')).toEqual([]);
    expect(await casesReportedBy(h.lifecycle.deps, 'stranger', 10)).toEqual([]);
  });

  it('greetings and chatter get a short friendly answer and start no draft', async () => {
    const worker = watch('community-nongji');
    await h.inbound.text('community-nongji', '你好');
    await worker.text('您好！发现问题请直接描述');
    await h.inbound.text('community-nongji', '好的谢谢');
    await worker.text('收到。如需上报问题');
    expect(h.inboxOf('community-nongji').every((m) => m.msgtype === 'text')).toBe(true);
    expect(await draftKeys('community-nongji')).toEqual([]);
  });

  it('a repeated confirm tap never creates a second case', async () => {
    const worker = watch('community-nongji');
    await h.inbound.text('community-nongji', '农机社区门口两辆车乱停，挡住了消防通道');
    const card = await worker.card();
    const key = buttonKey(cardOf(card), '确认上报');
    const before = (await casesReportedBy(h.lifecycle.deps, 'community-nongji', 50)).length;
    await Promise.all([h.inbound.tap('community-nongji', card, key), h.inbound.tap('community-nongji', card, key)]);
    await h.inbound.tap('community-nongji', card, key);
    // Two taps update the card; one found the draft busy (正在提交) or confirmed.
    await waitFor('answers to the taps', () => card.updates.length >= 2);
    await sleep(300);
    const after = await casesReportedBy(h.lifecycle.deps, 'community-nongji', 50);
    expect(after.length - before).toBe(1);
    const number = after[0]?.number ?? '';
    expect(card.updates.map((u) => JSON.stringify(u.body)).filter((b) => b.includes(`已上报 ${number}`)).length).toBeGreaterThanOrEqual(2);
  });

  it('when creating the case fails, the draft survives and the next tap creates it once', async () => {
    const wang = watch('grid-wang');
    await h.inbound.text('grid-wang', '将军府小区南门路面塌陷，有个大坑');
    const card = await wang.card();
    const submit = h.conversation.desk.submitReport;
    h.conversation.desk.submitReport = () => Promise.reject(new Error('store unavailable'));
    try {
      await h.inbound.tap('grid-wang', card, buttonKey(cardOf(card), '确认上报'));
      await wang.text('提交失败，请稍后再点一次');
    } finally {
      h.conversation.desk.submitReport = submit;
    }
    const number = await confirm('grid-wang', card);
    expect((await casesReportedBy(h.lifecycle.deps, 'grid-wang', 50)).filter((c) => c.number === number)).toHaveLength(1);
  });

  it('a saved whistle is reported as filed when the deadline sync after the save fails, and a second tap makes no second case', async () => {
    const wang = watch('grid-wang');
    await h.inbound.text('grid-wang', '将军府小区北门井盖丢了，很危险');
    const card = await wang.card();
    const deadlines = h.lifecycle.deps.deadlines;
    const sync = deadlines.syncCase;
    deadlines.syncCase = () => Promise.reject(new Error('redis unavailable'));
    let number: string;
    try {
      number = await confirm('grid-wang', card);
    } finally {
      deadlines.syncCase = sync;
    }
    expect(JSON.stringify(card.updates.at(-1))).not.toContain('提交失败');
    const again = await confirm('grid-wang', card);
    expect(again).toBe(number);
    expect((await casesReportedBy(h.lifecycle.deps, 'grid-wang', 50)).filter((c) => c.number === number)).toHaveLength(1);
  });

  it('when a step after storing the case throws, the card names the stored case and a second tap makes no second case', async () => {
    const li = watch('grid-li');
    await h.inbound.text('grid-li', '将军府小区西门垃圾桶满了没人清');
    const card = await li.card();
    const before = (await casesReportedBy(h.lifecycle.deps, 'grid-li', 50)).length;
    const submit = h.conversation.desk.submitReport;
    h.conversation.desk.submitReport = async (submission, hooks) => {
      await submit(submission, hooks);
      throw new Error('lost the connection after the save');
    };
    let number: string;
    try {
      number = await confirm('grid-li', card);
    } finally {
      h.conversation.desk.submitReport = submit;
    }
    expect(JSON.stringify(card.updates.at(-1))).toContain('已登记，待街道调度员派单');
    expect(await confirm('grid-li', card)).toBe(number);
    expect((await casesReportedBy(h.lifecycle.deps, 'grid-li', 50)).length - before).toBe(1);
  });

  it('low confidence goes to the street dispatcher for triage', async () => {
    const zhang = watch('grid-zhang');
    const dispatcher = watch('dispatcher-wenming');
    await h.inbound.text('grid-zhang', '将军府小区东门有点情况');
    const card = await zhang.card();
    expect(cardOf(card).main_title?.desc).toContain('街道调度员');
    expect(rowsOf(cardOf(card))).toHaveProperty('建议部门');
    const number = await confirm('grid-zhang', card);
    expect((await caseByNumber(h.lifecycle.deps, number))?.state).toBe('triage');
    const triage = await dispatcher.card();
    expect(cardOf(triage).card_type).toBe('multiple_interaction');
    expect(JSON.stringify(triage.body)).toContain(number);

    // Not yet dispatched, so the reporter may still withdraw it.
    await h.inbound.text('grid-zhang', `取消 ${number}`);
    await zhang.text(`案件 ${number} 已撤销。`);
    expect((await caseByNumber(h.lifecycle.deps, number))?.state).toBe('cancelled');
  });

  it('a department member feeds back with photos sent just before and just after', async () => {
    const li = watch('grid-li');
    await h.inbound.text('grid-li', '文明路123号门口路面塌陷了一个大坑');
    const number = await confirm('grid-li', await li.card());
    const whistle = h.inboxOf('zhujian-lead').find((m) => JSON.stringify(m.body).includes(number));
    if (!whistle) throw new Error('no whistle card at 住建局');
    await h.inbound.tap('zhujian-lead', whistle, KEY.accept);
    await waitFor('accepted', async () => (await caseByNumber(h.lifecycle.deps, number))?.state === 'in_progress');

    const lead = watch('zhujian-lead');
    await h.inbound.text('zhujian-lead', `${number} 申请延期 3天，材料还没到`);
    await lead.text(`案件 ${number} 已申请延期至`);
    const asked = await caseByNumber(h.lifecycle.deps, number);
    expect(asked?.assignments[0]?.extensions[0]).toMatchObject({ requestedBy: 'zhujian-lead', reason: '申请延期 3天，材料还没到' });

    await h.inbound.image('zhujian-lead');
    await h.inbound.text('zhujian-lead', `${number} 已处理完毕，路面已修复`);
    await h.inbound.image('zhujian-lead');
    await waitFor('feedback settled', async () => (await caseByNumber(h.lifecycle.deps, number))?.state === 'awaiting_verification');
    const stored = await caseByNumber(h.lifecycle.deps, number);
    expect(stored?.assignments[0]).toMatchObject({ state: 'done', resultText: '已处理完毕，路面已修复' });
    expect(stored?.assignments[0]?.resultMedia).toHaveLength(2);
    await lead.text(`收到案件 ${number} 的处理反馈，1 秒内补发的照片会一并提交。`);
    await lead.text(`案件 ${number} 的处理反馈已提交，等待核查。`);
  });

  it('a department returns a case with the typed reason its return card asked for', async () => {
    const zhao = watch('grid-zhao');
    await h.inbound.text('grid-zhao', '和平社区北门绿化带的树倒了，挡住人行道');
    const number = await confirm('grid-zhao', await zhao.card());
    const lead = watch('yuanlin-lead');
    await h.inbound.text('yuanlin-lead', `退回 ${number} 该绿化带属于小区物业管理`);
    await lead.text(`案件 ${number} 已退回`);
    const stored = await caseByNumber(h.lifecycle.deps, number);
    expect(stored?.state).toBe('triage');
    expect(stored?.assignments[0]).toMatchObject({ deptCode: 'yuanlin', state: 'returned', returnReason: '该绿化带属于小区物业管理' });

    // Someone outside the department is refused with the lifecycle's reason.
    const other = watch('zhujian-lead');
    await h.inbound.text('zhujian-lead', `${number} 已处理完毕`);
    await other.text(`案件 ${number}：`);
  });

  it('answers help, 我的上报 and a case number, masking other people\'s phone numbers', async () => {
    const zhang = watch('grid-zhang');
    await h.inbound.text('grid-zhang', '文明路8号门口有人占道经营，联系人电话13912345678');
    const number = await confirm('grid-zhang', await zhang.card());

    const from = h.inboxOf('grid-zhang').length;
    await h.inbound.text('grid-zhang', '帮助');
    await h.textContaining('grid-zhang', from, '使用说明');
    await h.inbound.text('grid-zhang', '我的上报');
    const mine = await h.textContaining('grid-zhang', from, '您最近上报的');
    expect(mine).toContain(number);
    expect(mine).toContain('已吹哨待接单');
    await h.inbound.text('grid-zhang', number);
    expect(await h.textContaining('grid-zhang', from, `案件 ${number}`)).toContain('13912345678');

    const li = watch('grid-li');
    await h.inbound.text('grid-li', number);
    const seen = await li.text(`案件 ${number}`);
    expect(seen).toContain(`案件 ${number}`);
    expect(seen).not.toContain('13912345678');
  });

  it('cancels a draft by text or on the card; a tap on a cancelled card creates nothing', async () => {
    const wang = watch('grid-wang');
    await h.inbound.text('grid-wang', '和平社区北门下水道堵了，污水漫到路上');
    const card = await wang.card();
    await h.inbound.text('grid-wang', '取消');
    await wang.text('已取消本次上报。');
    await h.inbound.tap('grid-wang', card, buttonKey(cardOf(card), '确认上报'));
    expect(JSON.stringify(await h.nthUpdate(card, 1))).toContain('已失效');

    await h.inbound.text('grid-wang', '和平社区北门下水道堵了，污水漫到路上');
    const second = await wang.card(2);
    await h.inbound.tap('grid-wang', second, buttonKey(cardOf(second), '取消'));
    expect(JSON.stringify(await h.nthUpdate(second, 1))).toContain('已取消');
    expect(await draftKeys('grid-wang')).toEqual([]);
  });
});
