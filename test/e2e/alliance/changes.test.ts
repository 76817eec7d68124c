import type { InboxMessage } from '../../../fakes/wecom';
import { ALLIANCE_KEY } from '../../../bots/wecom/alliance/keys';
import { checkIn } from '../../../commands/alliance/attendance';
import type { Participant } from '../../../src/alliance/types';
import { AllianceApp } from './support/allianceApp';
import { activityBody, minutes, ORGANISER, PEOPLE, START } from './support/people';

const WEIJIAN: Participant = { id: 'unit-weijian', kind: 'alliance_unit', name: '卫生服务中心', wecomUserId: 'weijian-lead', streetId: 'wenming', skills: [] };
const ALL_KINDS = ['party_member', 'alliance_unit', 'party_org'];

/** The organiser confirms from WeChat Work, edits a 哨令 and cancels it; everyone signed up hears of it. */
describe('a 哨令 confirmed, edited and cancelled', () => {
  const h = new AllianceApp('alliance_changes', [...PEOPLE, WEIJIAN]);
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  const lastCard = (userId: string): InboxMessage => {
    const found = h.cards(userId).at(-1);
    if (!found) throw new Error(`${userId} has no card`);
    return found;
  };
  const confirmCardFor = (name: string): InboxMessage => {
    const found = h.cards(ORGANISER).filter((c) => String((c.body.template_card as { sub_title_text?: string }).sub_title_text ?? '').startsWith(`${name} `)).at(-1);
    if (!found) throw new Error(`the organiser has no confirmation card for ${name}`);
    return found;
  };
  const post = async (overrides: Record<string, unknown>) => {
    const posted = await h.api<{ activity: { id: string } }>('POST', '/api/alliance/activities', activityBody({ targetKinds: ALL_KINDS, ...overrides }));
    expect(posted.status).toBe(201);
    await h.settle();
    return posted.body.activity.id;
  };
  const seats = async (activityId: string) =>
    (await h.deps.repo.signupsOf(activityId)).map((s) => [s.participantId, s.seat ?? null, s.waitlistedAt ? 'waiting' : null, s.confirmedAt ? 'confirmed' : null]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  /** Taps 报到 a minute apart, so the order of sign-up is known. */
  const signUpInTurn = async (userIds: string[]) => {
    for (const userId of userIds) {
      h.now = new Date(h.now.getTime() + minutes(1));
      await h.tap(userId, lastCard(userId), ALLIANCE_KEY.signUp);
    }
  };
  const reminderDelays = async (activityId: string) =>
    (await h.module.deps.reminders.queue.getDelayed()).filter((j) => j.data.activityId === activityId).map((j) => [j.data.minutesBefore, j.delay]).sort();

  describe('confirming from the organiser card', () => {
    let activityId = '';
    beforeAll(async () => {
      h.now = new Date('2026-05-01T02:00:00Z');
      activityId = await post({ capacity: 2, waitlistCapacity: 1 });
      await signUpInTurn(['zhujian-staff', 'gongdian-lead']);
    });

    it('the organiser gets a 确认参加 card for each seated sign-up', () => {
      const card = confirmCardFor('王干事').body.template_card as { main_title: { title: string }; button_list: { key: string }[]; horizontal_content_list: { keyname: string; value: string }[] };
      expect(card.main_title.title).toBe('【报到待确认】助老义诊');
      expect(card.button_list.map((b) => b.key)).toEqual([ALLIANCE_KEY.confirm]);
      expect(card.horizontal_content_list).toContainEqual({ keyname: '报到对象', value: '王干事（党员）' });
      expect(h.lastCardText(ORGANISER)).toBe('文明供电所 报到「助老义诊」（第 2/2 个名额），待确认');
    });

    it('refuses a tap by anyone but the organiser, changing nothing', async () => {
      await h.tap('zhujian-lead', confirmCardFor('王干事'), ALLIANCE_KEY.confirm);
      expect(h.lastText('zhujian-lead')).toBe('只有发布「助老义诊」的组织方可以确认报到');
      expect((await h.deps.repo.signup(activityId, 'member-w'))?.confirmedAt).toBeUndefined();
    });

    it('confirms on the organiser tap, tells the participant, and refuses a second tap', async () => {
      await h.tap(ORGANISER, confirmCardFor('王干事'), ALLIANCE_KEY.confirm);
      expect(h.lastText(ORGANISER)).toBe('已确认王干事参加「助老义诊」');
      expect(h.lastText('zhujian-staff')).toBe('组织方已确认您参加「助老义诊」，请按时到「文明广场」签到');
      expect((await h.deps.repo.signup(activityId, 'member-w'))?.confirmedBy).toBe(ORGANISER);
      await h.tap(ORGANISER, confirmCardFor('王干事'), ALLIANCE_KEY.confirm);
      expect(h.lastText(ORGANISER)).toBe('此人参加「助老义诊」已确认过');
    });

    it('refuses a stale card: the participant has withdrawn since', async () => {
      await h.tap('gongdian-lead', lastCard('gongdian-lead'), ALLIANCE_KEY.withdraw);
      await h.tap(ORGANISER, confirmCardFor('文明供电所'), ALLIANCE_KEY.confirm);
      expect(h.lastText(ORGANISER)).toBe('此人已取消报名「助老义诊」');
      expect((await h.deps.repo.signup(activityId, 'unit-gongdian'))?.confirmedAt).toBeUndefined();
    });
  });

  describe('editing and cancelling', () => {
    let activityId = '';
    const edit = (body: Record<string, unknown>) => h.api<{ activity: { capacity: number; startsAt: string; venue: { name: string } }; waitlisted: string[]; promoted: string[]; error?: { code: string } }>('PATCH', `/api/alliance/activities/${activityId}`, { by: ORGANISER, ...body });
    const confirm = (participantId: string) => h.api<{ error?: { code: string } }>('POST', `/api/alliance/activities/${activityId}/confirm`, { participantId, by: ORGANISER });

    beforeAll(async () => {
      h.now = new Date('2026-05-01T02:00:00Z');
      activityId = await post({ title: '河道清理', capacity: 3, waitlistCapacity: 1 });
      await signUpInTurn(['zhujian-staff', 'gongdian-lead', 'weijian-lead', 'zhujian-lead']);
      expect((await confirm('member-w')).status).toBe(200);
      expect((await confirm('unit-weijian')).status).toBe(200);
      await h.settle();
    });

    it('refuses an edit that ends before it starts, or changes nothing', async () => {
      expect((await edit({ endsAt: '2026-05-10T08:00:00+08:00' })).body.error).toMatchObject({ code: 'invalid_activity' });
      expect((await edit({})).body.error).toMatchObject({ code: 'invalid_activity' });
      expect((await edit({ capacity: 0 })).status).toBe(400);
      expect((await h.deps.repo.activity(activityId))?.capacity).toBe(3);
    });

    it('a cut below the seats taken moves the latest sign-ups to the waiting list, unconfirmed; the rest hear the change', async () => {
      const before = await reminderDelays(activityId);
      const edited = await edit({ capacity: 1, startsAt: '2026-05-11T09:00:00+08:00', endsAt: '2026-05-11T11:00:00+08:00', venue: { name: '农机社区广场', latitude: 25.05, longitude: 102.71, radiusMeters: 150 } });
      expect(edited.status).toBe(200);
      expect(edited.body.waitlisted).toEqual(['unit-gongdian', 'unit-weijian']);
      expect(edited.body.activity).toMatchObject({ capacity: 1, startsAt: '2026-05-11T01:00:00.000Z', venue: { name: '农机社区广场' } });
      await h.settle();
      expect(await seats(activityId)).toEqual([
        ['member-w', 1, null, 'confirmed'],
        ['org-zhujian', null, 'waiting', null],
        ['unit-gongdian', null, 'waiting', null],
        ['unit-weijian', null, 'waiting', null],
      ]);
      expect(h.lastText('gongdian-lead')).toBe('「河道清理」名额调整为 1 人，您的名额已转为候补第 1 位；有人取消时按顺序递补并通知您');
      expect(h.lastText('weijian-lead')).toBe('「河道清理」名额调整为 1 人，您的名额已转为候补第 2 位；有人取消时按顺序递补并通知您');
      const notice = '【哨令变更】「河道清理」时间改为 5/11 09:00–5/11 11:00，地点改为「农机社区广场」，名额改为 1 人，请留意';
      expect(h.lastText('zhujian-staff')).toBe(notice);
      expect(h.lastText('zhujian-lead')).toBe(notice);
      // the reminders follow the new start, a day later
      const after = await reminderDelays(activityId);
      expect(after.map(([m]) => m)).toEqual(before.map(([m]) => m));
      const newStart = Date.parse('2026-05-11T01:00:00Z');
      expect(after).toEqual([[120, newStart - minutes(120) - h.now.getTime()], [1440, newStart - minutes(1440) - h.now.getTime()]].sort());
      // the one moved to the waiting list can no longer check in
      h.now = new Date(Date.parse('2026-05-11T01:00:00Z') + minutes(5));
      const weijian = (await h.deps.repo.participant('unit-weijian'))!;
      expect(await checkIn(h.deps, activityId, weijian, { method: 'location', point: { latitude: 25.05, longitude: 102.71 } })).toMatchObject({ ok: false, code: 'not_seated' });
      h.now = new Date('2026-05-01T03:00:00Z');
    });

    it('a rise seats those waiting in order, with a card to the organiser', async () => {
      const edited = await edit({ capacity: 2 });
      expect(edited.body.promoted).toEqual(['unit-gongdian']);
      await h.settle();
      expect(h.texts('gongdian-lead').slice(-2)).toEqual(['候补递补成功：您已获得「河道清理」第 2 个名额，请等待组织方确认', '【哨令变更】「河道清理」名额改为 2 人，请留意']);
      expect(h.lastCardText(ORGANISER)).toBe('文明供电所 由候补递补「河道清理」第 2 个名额，待确认');
      expect(h.lastText('zhujian-staff')).toBe('【哨令变更】「河道清理」名额改为 2 人，请留意');
    });

    it('cancelling tells everyone signed up, removes the reminders, and then every step is refused', async () => {
      const staleConfirmCard = confirmCardFor('文明供电所');
      const cancelled = await h.api<{ told: number; activity: { cancelledAt: string } }>('POST', `/api/alliance/activities/${activityId}/cancel`, { reason: '暴雨预警', by: ORGANISER });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.told).toBe(4);
      await h.settle();
      for (const userId of ['zhujian-staff', 'gongdian-lead', 'weijian-lead', 'zhujian-lead']) expect(h.lastText(userId)).toBe('【哨令取消】「河道清理」（5/11 09:00，农机社区广场）已取消：暴雨预警。感谢您的报到');
      expect(await reminderDelays(activityId)).toEqual([]);

      const seatsBefore = await seats(activityId);
      await h.tap('gongdian-lead', lastCard('zhujian-lead'), ALLIANCE_KEY.withdraw);
      expect(h.lastText('gongdian-lead')).toBe('「河道清理」已由组织方取消（暴雨预警），无法再报到、确认或签到');
      await h.tap(ORGANISER, staleConfirmCard, ALLIANCE_KEY.confirm);
      expect(h.lastText(ORGANISER)).toBe('「河道清理」已由组织方取消（暴雨预警），无法再报到、确认或签到');
      expect((await confirm('unit-gongdian')).body.error).toMatchObject({ code: 'cancelled' });
      expect((await edit({ capacity: 5 })).body.error).toMatchObject({ code: 'cancelled' });
      expect((await h.api<{ error?: { code: string } }>('POST', `/api/alliance/activities/${activityId}/cancel`, { reason: '再次取消', by: ORGANISER })).body.error).toMatchObject({ code: 'cancelled' });
      h.now = new Date(Date.parse('2026-05-11T01:00:00Z') + minutes(5));
      const member = (await h.deps.repo.participant('member-w'))!;
      expect(await checkIn(h.deps, activityId, member, { method: 'location', point: { latitude: 25.05, longitude: 102.71 } })).toMatchObject({ ok: false, code: 'cancelled' });
      expect(await seats(activityId)).toEqual(seatsBefore);
    });

    it('refuses an edit or a cancellation once the activity has started', async () => {
      h.now = new Date('2026-05-01T02:00:00Z');
      const other = await post({ title: '文明劝导', capacity: 2 });
      h.now = new Date(START.getTime() + minutes(1));
      const refused = await h.api<{ error?: { code: string } }>('PATCH', `/api/alliance/activities/${other}`, { by: ORGANISER, capacity: 1 });
      expect(refused.body.error).toMatchObject({ code: 'started' });
      const cancel = await h.api<{ error?: { code: string } }>('POST', `/api/alliance/activities/${other}/cancel`, { by: ORGANISER, reason: '太晚了' });
      expect(cancel.body.error).toMatchObject({ code: 'started' });
    });
  });

  it('no failed sends or callbacks', async () => {
    expect(await h.outboxFailures()).toEqual([]);
  });
});
