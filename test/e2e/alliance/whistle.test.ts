import { ALLIANCE_KEY } from '../../../bots/wecom/alliance/keys';
import { NOT_REGISTERED } from '../../../bots/wecom/alliance/tapListener';
import { remindBeforeStart } from '../../../commands/alliance/reminders';
import { AllianceApp } from './support/allianceApp';
import { activityBody, ORGANISER, PEOPLE, START } from './support/people';

/** 街道吹哨、联盟单位报到 through WeChat Work: cards to the targets, taps through the real callback path. */
describe('a 哨令 through WeChat Work', () => {
  const h = new AllianceApp('alliance_whistle', PEOPLE);
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  let activityId = '';
  const card = (userId: string) => {
    const found = h.cards(userId).at(-1);
    if (!found) throw new Error(`${userId} has no card`);
    return found;
  };
  const signups = async () => (await h.deps.repo.signupsOf(activityId)).map((s) => [s.participantId, s.seat ?? null, s.waitlistedAt ? 'waiting' : null, s.withdrawnAt ? 'withdrawn' : null]);

  it('sends the card to the party member and the unit, not to the party organisation it was not for', async () => {
    const posted = await h.api<{ activity: { id: string }; targets: number }>('POST', '/api/alliance/activities', activityBody({ capacity: 1, waitlistCapacity: 1, targetKinds: ['party_member', 'alliance_unit'] }));
    expect(posted.status).toBe(201);
    expect(posted.body.targets).toBe(2);
    activityId = posted.body.activity.id;
    await h.settle();
    expect(h.cards('zhujian-staff')).toHaveLength(1);
    expect(h.cards('gongdian-lead')).toHaveLength(1);
    expect(h.cards('zhujian-lead')).toHaveLength(0);
    const template = card('zhujian-staff').body.template_card as { main_title: { title: string }; horizontal_content_list: { keyname: string; value: string }[] };
    expect(template.main_title.title).toBe('【街道吹哨】助老义诊');
    expect(template.horizontal_content_list).toEqual(expect.arrayContaining([{ keyname: '时间', value: '5/10 09:00–12:00' }, { keyname: '人数', value: '1 人（候补 1 人）' }]));
  });

  it('refuses a tap by someone not targeted, and by someone not registered, changing nothing', async () => {
    await h.tap('zhujian-lead', card('zhujian-staff'), ALLIANCE_KEY.signUp);
    expect(h.lastText('zhujian-lead')).toContain('没有发给区住建局机关党支部');
    await h.tap('shuiwu-lead', card('zhujian-staff'), ALLIANCE_KEY.signUp);
    expect(h.lastText('shuiwu-lead')).toBe(NOT_REGISTERED);
    expect(await signups()).toEqual([]);
  });

  it('seats the first, refuses the double sign-up, waitlists the second and refuses once all is full', async () => {
    await h.tap('zhujian-staff', card('zhujian-staff'), ALLIANCE_KEY.signUp);
    expect(h.lastText('zhujian-staff')).toBe('报到成功：「助老义诊」第 1 个名额（共 1 个），请等待组织方确认');
    expect(h.lastCardText(ORGANISER)).toContain('王干事 报到「助老义诊」（第 1/1 个名额），待确认');
    await h.tap('zhujian-staff', card('zhujian-staff'), ALLIANCE_KEY.signUp);
    expect(h.lastText('zhujian-staff')).toBe('王干事已报名「助老义诊」（第 1 个名额），无需重复报到');
    await h.tap('gongdian-lead', card('gongdian-lead'), ALLIANCE_KEY.signUp);
    expect(h.lastText('gongdian-lead')).toContain('已为您登记候补第 1 位');

    const late = await h.api('POST', '/api/alliance/participants', { id: 'unit-weijian', kind: 'alliance_unit', name: '卫生服务中心', wecomUserId: 'weijian-lead', streetId: 'wenming' });
    expect(late.status).toBe(200);
    await h.tap('weijian-lead', card('gongdian-lead'), ALLIANCE_KEY.signUp);
    expect(h.lastText('weijian-lead')).toBe('「助老义诊」名额（1 人）和候补（1 人）都已满，请关注下一次哨令');
    expect(await signups()).toEqual([['member-w', 1, null, null], ['unit-gongdian', null, 'waiting', null]]);
  });

  it('a withdrawal gives the seat to the first on the waiting list, who is told', async () => {
    await h.tap('zhujian-staff', card('zhujian-staff'), ALLIANCE_KEY.withdraw);
    expect(h.lastText('zhujian-staff')).toBe('已取消报名，名额将让给候补人员');
    expect(h.lastText('gongdian-lead')).toBe('候补递补成功：您已获得「助老义诊」第 1 个名额，请等待组织方确认');
    expect(await signups()).toEqual([['member-w', 1, null, 'withdrawn'], ['unit-gongdian', 1, null, null]]);
    await h.tap('zhujian-staff', card('zhujian-staff'), ALLIANCE_KEY.signUp);
    expect(h.lastText('zhujian-staff')).toContain('已取消过「助老义诊」的报名');
  });

  it('the organiser confirms once; confirming a withdrawn or unknown sign-up is refused', async () => {
    const confirm = (participantId: string) => h.api<{ error?: { code: string; message: string } }>('POST', `/api/alliance/activities/${activityId}/confirm`, { participantId, by: ORGANISER });
    expect((await confirm('unit-gongdian')).status).toBe(200);
    await h.settle();
    expect(h.lastText('gongdian-lead')).toContain('组织方已确认您参加「助老义诊」');
    expect((await confirm('unit-gongdian')).body).toMatchObject({ error: { code: 'already_confirmed' } });
    expect((await confirm('member-w')).body).toMatchObject({ error: { code: 'withdrawn' } });
    expect((await confirm('unit-weijian')).body).toMatchObject({ error: { code: 'not_signed_up' } });
    expect((await confirm('nobody')).status).toBe(404);
  });

  it('refuses a sign-up after the start', async () => {
    h.now = new Date(START.getTime() + 60_000);
    await h.tap('weijian-lead', card('gongdian-lead'), ALLIANCE_KEY.signUp);
    expect(h.lastText('weijian-lead')).toBe('「助老义诊」已经开始，报名已截止');
    expect(await h.deps.repo.signup(activityId, 'unit-weijian')).toBeUndefined();
  });

  it('a community whistles to its own grid members only (社区吹哨、网格成员报到)', async () => {
    h.now = new Date('2026-05-01T02:00:00Z');
    const posted = await h.api<{ activity: { id: string }; targets: number }>('POST', '/api/alliance/activities', activityBody({ title: '汛前排查', organiser: { level: 'community', id: 'nongji', userId: 'community-nongji' }, targetKinds: ['grid_member'] }));
    expect(posted.body.targets).toBe(2);
    await h.settle();
    const gridCard = h.cards('grid-zhang').at(-1)!;
    expect((gridCard.body.template_card as { main_title: { title: string } }).main_title.title).toBe('【社区吹哨】汛前排查');
    expect(h.cards('grid-li')).toHaveLength(1);
    expect(h.cards('grid-wang')).toHaveLength(0);
    await h.tap('grid-wang', gridCard, ALLIANCE_KEY.signUp);
    expect(h.lastText('grid-wang')).toContain('没有发给王网格');
    await h.tap('grid-zhang', gridCard, ALLIANCE_KEY.signUp);
    expect(h.lastText('grid-zhang')).toContain('报到成功');
    expect(h.lastCardText('community-nongji')).toContain('张网格 报到「汛前排查」');
  });

  it('schedules the reminders before the start, and a reminder reaches those with a seat', async () => {
    const jobs = await h.module.deps.reminders.queue.getDelayed();
    const mine = jobs.filter((j) => j.data.activityId === activityId).map((j) => [j.data.minutesBefore, j.delay]);
    // posted at 05-01 10:00 local; starts 05-10 09:00: 9 days less 1 h, less the lead time
    expect(mine.sort()).toEqual([[120, minutesMs(9 * 24 * 60 - 60 - 120)], [1440, minutesMs(9 * 24 * 60 - 60 - 1440)]].sort());
    h.now = new Date(START.getTime() - minutesMs(120));
    expect(await remindBeforeStart(h.deps, activityId, 120)).toBe(1);
    await h.settle();
    expect(h.lastText('gongdian-lead')).toBe('【活动提醒】「助老义诊」5/10 09:00 在「文明广场」开始，请按时到场签到');
    expect(h.texts('zhujian-staff').filter((t) => t.startsWith('【活动提醒】'))).toEqual([]);
  });

  it('no failed sends or callbacks', async () => {
    expect(await h.outboxFailures()).toEqual([]);
  });
});

function minutesMs(n: number): number {
  return n * 60_000;
}
