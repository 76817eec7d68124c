import { remindBeforeStart } from '../../../commands/alliance/reminders';
import { loadMpConfig, type MpConfig } from '../../../config/mp';
import { AllianceApp } from './support/allianceApp';
import { activityBody, ORGANISER, PEOPLE } from './support/people';

const fields = { thing1: 'activityTitle', time2: 'startsAt', thing3: 'venue', phrase4: 'status', thing5: 'message' } as const;
const base = loadMpConfig();
const mpConfig: MpConfig = {
  ...base,
  subscribe: {
    ...base.subscribe,
    volunteerTemplates: {
      posted: { templateId: 'TPL-POSTED', fields },
      confirmed: { templateId: 'TPL-CONFIRMED', fields },
      reminder: { templateId: 'TPL-REMINDER', fields },
      cancelled: { templateId: 'TPL-CANCELLED', fields },
    },
  },
};

type Answer = { error?: { code: string; message: string } };

/**
 * Volunteers outside the corp hear of 哨令 through the mini-program's subscribe messages
 * (subscribeMessage.send through the mini-program outbox to the fake WeChat server): the 哨令 they
 * are targeted by, the organiser's confirmation, the reminder and the cancellation — one message per
 * grant they gave, never twice for the same news.
 */
describe('subscribe messages to volunteers', () => {
  const h = new AllianceApp('alliance_volunteer_messages', PEOPLE, { mpConfig });
  beforeAll(() => h.start());
  afterAll(() => h.stop());
  afterEach(async () => expect(await h.outboxFailures()).toEqual([]));

  let li = '';
  let zhou = '';
  let activityId = '';
  const toLi = () => h.wechatMp.sent.filter((m) => m.touser === 'openid-resident-li');

  it('a volunteer allows the templates offered; unknown templates and unregistered residents are refused', async () => {
    li = await h.residentToken('resident-li');
    zhou = await h.residentToken('resident-zhou');
    expect((await h.mp<Answer>(li, 'POST', '/subscriptions', { templateIds: ['TPL-POSTED'] })).body.error).toMatchObject({ code: 'not_registered' });
    await h.mp(li, 'POST', '/volunteer', { name: '李志愿', skills: ['助老'], streetId: 'wenming' });
    await h.mp(zhou, 'POST', '/volunteer', { name: '周志愿', streetId: 'wenming' });
    const offered = await h.mp<{ templates: { kind: string; templateId: string; remaining: number }[] }>(li, 'GET', '/subscriptions');
    expect(offered.body.templates).toEqual([
      { kind: 'posted', templateId: 'TPL-POSTED', remaining: 0 },
      { kind: 'confirmed', templateId: 'TPL-CONFIRMED', remaining: 0 },
      { kind: 'reminder', templateId: 'TPL-REMINDER', remaining: 0 },
      { kind: 'cancelled', templateId: 'TPL-CANCELLED', remaining: 0 },
    ]);
    const unknown = await h.mp<Answer>(li, 'POST', '/subscriptions', { templateIds: ['TPL-POSTED', 'TPL-NOPE'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.message).toContain('TPL-NOPE');
    expect((await h.mp<Answer>(li, 'POST', '/subscriptions', { templateIds: [] })).status).toBe(400);
    const granted = await h.mp<{ kinds: string[] }>(li, 'POST', '/subscriptions', { templateIds: ['TPL-POSTED', 'TPL-CONFIRMED', 'TPL-REMINDER', 'TPL-CANCELLED'] });
    expect(granted.status).toBe(201);
    expect(granted.body.kinds).toEqual(['posted', 'confirmed', 'reminder', 'cancelled']);
    expect((await h.mp<{ templates: { remaining: number }[] }>(li, 'GET', '/subscriptions')).body.templates.map((t) => t.remaining)).toEqual([1, 1, 1, 1]);
  });

  it('the 哨令 reaches a targeted volunteer who allowed it, not one who did not', async () => {
    const posted = await h.api<{ activity: { id: string } }>('POST', '/api/alliance/activities', activityBody({ targetKinds: ['volunteer', 'party_member'] }));
    expect(posted.status).toBe(201);
    activityId = posted.body.activity.id;
    await h.settle();
    expect(toLi()).toEqual([{
      touser: 'openid-resident-li',
      template_id: 'TPL-POSTED',
      page: `pages/volunteer/activity?id=${activityId}`,
      data: { thing1: { value: '助老义诊' }, time2: { value: '2026-05-10 09:00' }, thing3: { value: '文明广场' }, phrase4: { value: '新哨令' }, thing5: { value: '「助老义诊」邀请您报到，请进入小程序报名' } },
      miniprogram_state: 'formal',
      lang: 'zh_CN',
    }]);
    expect(h.wechatMp.sent.filter((m) => m.touser === 'openid-resident-zhou')).toEqual([]);
    // The party member is in WeChat Work: a card there, no subscribe message.
    expect(h.cards('zhujian-staff').length).toBeGreaterThan(0);
    expect(h.wechatMp.sent.every((m) => m.touser.startsWith('openid-resident-'))).toBe(true);
  });

  it('the organiser\'s confirmation and the reminder follow; the same reminder twice is one message, a further one has no grant left', async () => {
    expect((await h.mp(li, 'POST', `/activities/${activityId}/signup`)).status).toBe(201);
    const participantId = (await h.deps.repo.participantByResident('resident-li'))?.id ?? '';
    expect((await h.api('POST', `/api/alliance/activities/${activityId}/confirm`, { participantId, by: ORGANISER })).status).toBe(200);
    await h.settle();
    expect(toLi().map((m) => [m.template_id, m.data.phrase4?.value])).toEqual([['TPL-POSTED', '新哨令'], ['TPL-CONFIRMED', '已确认参加']]);
    expect(toLi()[1]?.data.thing5?.value).toBe('组织方已确认您参加「助老义诊」，请按时…'); // thing: 20 characters at most

    expect(await remindBeforeStart(h.deps, activityId, 120)).toBe(1);
    expect(await remindBeforeStart(h.deps, activityId, 120)).toBe(1);
    await h.settle();
    expect(toLi().map((m) => m.template_id)).toEqual(['TPL-POSTED', 'TPL-CONFIRMED', 'TPL-REMINDER']);
    expect(toLi()[2]?.data).toMatchObject({ phrase4: { value: '即将开始' }, time2: { value: '2026-05-10 09:00' } });
    await remindBeforeStart(h.deps, activityId, 1440);
    await h.settle();
    expect(toLi()).toHaveLength(3);
  });

  it('the cancellation reaches them too, and every grant is used up', async () => {
    expect((await h.api('POST', `/api/alliance/activities/${activityId}/cancel`, { reason: '暴雨预警', by: ORGANISER })).status).toBe(200);
    await h.settle();
    const last = toLi().at(-1);
    expect(last).toMatchObject({ template_id: 'TPL-CANCELLED', data: { phrase4: { value: '哨令取消' }, thing1: { value: '助老义诊' } } });
    expect((await h.mp<{ templates: { remaining: number }[] }>(li, 'GET', '/subscriptions')).body.templates.map((t) => t.remaining)).toEqual([0, 0, 0, 0]);
  });
});
