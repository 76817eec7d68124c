import ExcelJS from 'exceljs';
import { signUp } from '../../../commands/alliance/signUp';
import { currentQrToken } from '../../../src/alliance/qrToken';
import { AllianceApp } from './support/allianceApp';
import { activityBody, FAR_AWAY, minutes, ON_SITE, ORGANISER, PEOPLE, START } from './support/people';

type Answer = { error?: { code: string; message: string } } & Record<string, unknown>;

/**
 * On the day: a volunteer through the mini-program API, a party member through the personal check-in
 * link with the QR code on site; hours and points against hand-computed figures; corrections,
 * rewards, quota reminders and the yearly reports.
 */
describe('check-in, hours, points and reports', () => {
  const h = new AllianceApp('alliance_attendance', PEOPLE);
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  let activityId = '';
  let volunteer = '';
  let late = '';
  let attendPath = '';
  const at = (offsetMinutes: number) => (h.now = new Date(START.getTime() + minutes(offsetMinutes)));
  const signup = (participantId: string) => h.deps.repo.signup(activityId, participantId);
  const attend = (step: string, json: unknown, path = attendPath) => h.api<Answer>('POST', path.replace('/alliance/attend/', '/api/alliance/attend/').replace('?', `/${step}?`), json, {});

  it('a volunteer registers in the mini-program, sees the 哨令 and signs up once', async () => {
    volunteer = await h.residentToken('resident-li');
    late = await h.residentToken('resident-zhou');
    expect((await h.mp<Answer>(volunteer, 'GET', '/activities')).body.error).toMatchObject({ code: 'not_registered' });
    const registered = await h.mp<{ participant: { id: string; kind: string } }>(volunteer, 'POST', '/volunteer', { name: '李志愿', skills: ['助老'], streetId: 'wenming' });
    expect(registered.body.participant.kind).toBe('volunteer');
    await h.mp(late, 'POST', '/volunteer', { name: '周志愿', streetId: 'wenming' });
    expect((await h.mp<Answer>(volunteer, 'POST', '/volunteer', { name: '' })).status).toBe(400);

    const posted = await h.api<{ activity: { id: string } }>('POST', '/api/alliance/activities', activityBody());
    activityId = posted.body.activity.id;
    const listed = await h.mp<{ activities: { id: string; signup: unknown }[] }>(volunteer, 'GET', '/activities');
    expect(listed.body.activities).toEqual([expect.objectContaining({ id: activityId, signup: null })]);

    expect((await h.mp<Answer>(volunteer, 'POST', `/activities/${activityId}/signup`)).body).toMatchObject({ seat: 1 });
    const again = await h.mp<Answer>(volunteer, 'POST', `/activities/${activityId}/signup`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'already_signed_up', message: '李志愿已报名「助老义诊」（第 1 个名额），无需重复报到' });
    expect((await h.mp(late, 'POST', `/activities/${activityId}/signup`)).status).toBe(201);
    expect((await h.mp<Answer>(volunteer, 'POST', '/activities/Anope/signup')).status).toBe(404);
  });

  it('the party member signs up too; the organiser confirms all three and hands out personal links', async () => {
    const member = await h.deps.repo.participant('member-w');
    expect(await signUp(h.deps, activityId, member!)).toMatchObject({ ok: true, seat: 3 });
    const vol = (await h.deps.repo.participantByResident('resident-li'))!;
    const zhou = (await h.deps.repo.participantByResident('resident-zhou'))!;
    for (const id of [vol.id, zhou.id, 'member-w']) expect((await h.api('POST', `/api/alliance/activities/${activityId}/confirm`, { participantId: id, by: ORGANISER })).status).toBe(200);
    const detail = await h.api<{ signups: { participantId: string; status: string; attendPath: string }[] }>('GET', `/api/alliance/activities/${activityId}`);
    expect(detail.body.signups.map((s) => s.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    attendPath = detail.body.signups.find((s) => s.participantId === 'member-w')!.attendPath;
    const page = await fetch(`${h.url}${attendPath}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('活动签到');
  });

  it('refuses a check-in before it opens, far from the venue, with another activity’s or an old code, or a forged link — and records nothing', async () => {
    at(-31);
    expect((await h.mp<Answer>(volunteer, 'POST', `/activities/${activityId}/check-in`, ON_SITE)).body.error).toMatchObject({ code: 'too_early', message: '「助老义诊」5/10 09:00 开始，签到从 5/10 08:30 起开放' });
    at(-10);
    const far = await h.mp<Answer>(volunteer, 'POST', `/activities/${activityId}/check-in`, FAR_AWAY);
    expect(far.body.error).toMatchObject({ code: 'too_far', message: expect.stringContaining('约 1112 米，需在 200 米以内') });
    const rotation = { rotateSeconds: h.deps.config.checkIn.qrRotateSeconds, secret: h.deps.secret };
    const other = currentQrToken('A0123456789ab', h.now, rotation);
    expect((await attend('check-in', { qrToken: other })).body.error).toMatchObject({ code: 'qr_other_activity' });
    const old = currentQrToken(activityId, new Date(h.now.getTime() - minutes(3)), rotation);
    expect((await attend('check-in', { qrToken: old })).body.error).toMatchObject({ code: 'qr_expired' });
    expect((await attend('check-in', { qrToken: 'not-a-code' })).body.error).toMatchObject({ code: 'qr_invalid' });
    expect((await attend('check-in', ON_SITE, attendPath.replace(/s=.*/, 's=forgedforgedforgedforg'))).status).toBe(401);
    expect((await h.mp<Answer>(volunteer, 'POST', `/activities/${activityId}/check-in`, { latitude: 91, longitude: 0 })).status).toBe(400);
    expect((await h.mp<Answer>(volunteer, 'POST', `/activities/${activityId}/check-in`, { ...ON_SITE, qrToken: 'x' })).status).toBe(400);
    expect((await h.mp<Answer>(volunteer, 'POST', `/activities/${activityId}/check-out`, ON_SITE)).body.error).toMatchObject({ code: 'not_checked_in' });
    for (const s of await h.deps.repo.signupsOf(activityId)) expect(s.checkedInAt).toBeUndefined();
  });

  it('checks in on site by location and by the current QR code, once each', async () => {
    expect((await h.mp(volunteer, 'POST', `/activities/${activityId}/check-in`, ON_SITE)).status).toBe(200);
    const twice = await h.mp<Answer>(volunteer, 'POST', `/activities/${activityId}/check-in`, ON_SITE);
    expect(twice.body.error).toMatchObject({ code: 'already_checked_in', message: '您已于 5/10 08:50 签到，无需重复签到' });
    at(15);
    const qr = await h.api<{ token: string; svg: string }>('GET', `/api/alliance/activities/${activityId}/qr`);
    expect(qr.body.svg).toContain('<svg');
    expect((await attend('check-in', { qrToken: qr.body.token })).status).toBe(200);
    expect((await signup('member-w'))?.checkInMethod).toBe('qr');
    at(181);
    expect((await h.mp<Answer>(late, 'POST', `/activities/${activityId}/check-in`, ON_SITE)).body.error).toMatchObject({ code: 'ended' });
  });

  it('counts hours inside the activity in half hours and points by rule; check-out closes two hours after the end', async () => {
    // checked in 08:50, out 11:40 → counted 09:00–11:40 = 2 h 40 → 2.5 h; service: 2 + 2.5 = 4.5 → 4 points
    at(160);
    const out = await h.mp<Answer>(volunteer, 'POST', `/activities/${activityId}/check-out`, ON_SITE);
    expect(out.body).toMatchObject({ hours: 2.5, points: 4 });
    expect((await h.mp<Answer>(volunteer, 'POST', `/activities/${activityId}/check-out`, ON_SITE)).body.error).toMatchObject({ code: 'already_checked_out' });
    at(180 + 121);
    expect((await attend('check-out', ON_SITE)).body.error).toMatchObject({ code: 'checkout_closed' });
  });

  it('the organiser corrects with a reason; impossible hours and a missing reason are refused', async () => {
    const correct = (json: unknown) => h.api<Answer>('POST', `/api/alliance/activities/${activityId}/corrections`, json);
    expect((await correct({ participantId: 'member-w', hours: 3.5, reason: '按签到表核定', by: ORGANISER })).body.error).toMatchObject({ code: 'invalid_activity' });
    expect((await correct({ participantId: 'member-w', hours: 3, by: ORGANISER })).status).toBe(400);
    expect((await correct({ participantId: 'unit-gongdian', hours: 3, reason: '按签到表核定', by: ORGANISER })).body.error).toMatchObject({ code: 'not_signed_up' });
    // 09:15 in, no check-out: 3 h as the organiser saw it → 2 + 3 = 5 points
    expect((await correct({ participantId: 'member-w', hours: 3, reason: '忘记签退，按现场签到表核定', by: ORGANISER })).body).toMatchObject({ hours: 3, points: 5, correction: 1 });
    expect((await signup('member-w'))?.corrections).toEqual([expect.objectContaining({ hours: 3, reason: '忘记签退，按现场签到表核定', by: ORGANISER })]);
  });

  it('figures: hours, points, stars, quota progress and ranking as computed by hand', async () => {
    const figures = await h.api<{ ranking: { participant: { id: string }; rank: number; hours: number; points: number; quota?: { text: string }; members?: { hours: number } }[] }>('GET', '/api/alliance/figures?year=2026');
    const of = (id: string) => figures.body.ranking.find((r) => r.participant.id === id)!;
    expect(of('member-w')).toMatchObject({ rank: 1, hours: 3, points: 5, quota: { text: '今年已服务 3 小时，共需 6 小时' } });
    const vol = (await h.deps.repo.participantByResident('resident-li'))!;
    expect(of(vol.id)).toMatchObject({ rank: 2, hours: 2.5, points: 4 });
    expect(of('org-zhujian')).toMatchObject({ hours: 0, members: { hours: 3 }, quota: { text: '今年已服务 3 小时，共需 12 小时' } });
    expect(of('unit-gongdian')).toMatchObject({ hours: 0, quota: { text: '今年已报到 0 次，共需 2 次' } });
    expect((await h.mp<{ points: number; balance: number }>(volunteer, 'GET', '/me')).body).toMatchObject({ points: 4, balance: 4 });
    expect((await h.api('GET', '/api/alliance/figures?year=abc')).status).toBe(400);
  });

  it('exchanges points for a reward within the balance only', async () => {
    const vol = (await h.deps.repo.participantByResident('resident-li'))!;
    const exchange = (points: number) => h.api<Answer>('POST', '/api/alliance/rewards', { participantId: vol.id, reward: '环保袋', points, by: ORGANISER });
    expect((await exchange(5)).body.error).toMatchObject({ code: 'insufficient_points', message: '李志愿的可用积分为 4，兑换需要 5 积分，积分不足' });
    const results = await Promise.all([exchange(3), exchange(3)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await h.deps.repo.exchangesOf(vol.id)).toHaveLength(1);
    expect((await h.mp<{ balance: number; redeemed: number }>(volunteer, 'GET', '/me')).body).toMatchObject({ balance: 1, redeemed: 3 });
  });

  it('reminds those behind their quota in the last quarter only, once a month', async () => {
    h.now = new Date('2026-09-30T15:00:00Z'); // 23:00 on 30 September in Beijing
    expect((await h.api('POST', '/api/alliance/quota-reminders')).body).toEqual({ lastQuarter: false, reminded: [] });
    h.now = new Date('2026-10-15T02:00:00Z');
    const first = await h.api<{ reminded: string[] }>('POST', '/api/alliance/quota-reminders');
    expect(first.body.reminded.sort()).toEqual(['member-w', 'org-zhujian', 'unit-gongdian']);
    expect((await h.api<{ reminded: string[] }>('POST', '/api/alliance/quota-reminders')).body.reminded).toEqual([]);
    await h.settle();
    expect(h.lastText('zhujian-staff')).toBe('【年度报到提醒】王干事：今年已服务 3 小时，共需 6 小时。本年度只剩最后一个季度，请关注并响应街道、社区的哨令。');
  });

  it('the yearly 评价鉴定 of a member and a unit’s record, as .xlsx and printable HTML', async () => {
    const html = await fetch(`${h.url}/api/alliance/reports/members/member-w?year=2026`, { headers: { authorization: 'Bearer alliance-test-token' } });
    expect(html.headers.get('content-type')).toContain('text/html');
    const page = await html.text();
    expect(page).toContain('2026 年度双报到评价鉴定 — 王干事');
    expect(page).toContain('忘记签退，按现场签到表核定');
    expect(page).toContain('未达到年度报到要求');

    const xlsx = await fetch(`${h.url}/api/alliance/reports/members/member-w?year=2026&format=xlsx`, { headers: { authorization: 'Bearer alliance-test-token' } });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const rows = workbook.worksheets[0]!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).filter((c) => c !== undefined && c !== null));
    expect(rows).toEqual(expect.arrayContaining([['服务时长', '3 小时'], ['2026/05/10', '助老义诊', 3, 5, '忘记签退，按现场签到表核定']]));

    const unit = await (await fetch(`${h.url}/api/alliance/reports/units/org-zhujian?year=2026`, { headers: { authorization: 'Bearer alliance-test-token' } })).text();
    expect(unit).toContain('2026 年度报到记录 — 区住建局机关党支部');
    expect(unit).toContain('<td>王干事</td><td>党员</td><td>3</td><td>5</td>');
    expect((await h.api('GET', '/api/alliance/reports/members/nobody?year=2026')).status).toBe(404);
  });

  it('the command-centre API needs its token and refuses bad 哨令 with the reason', async () => {
    expect((await h.api('GET', '/api/alliance/participants', undefined, {})).status).toBe(401);
    expect((await h.api('GET', '/api/alliance/participants', undefined, { authorization: 'Bearer wrong' })).status).toBe(401);
    h.now = new Date('2026-05-01T02:00:00Z');
    const bad = await h.api<Answer>('POST', '/api/alliance/activities', activityBody({ endsAt: '2026-05-10T08:00:00+08:00' }));
    expect(bad.body.error).toMatchObject({ code: 'invalid_activity', message: '结束时间必须晚于开始时间' });
    expect((await h.api<Answer>('POST', '/api/alliance/activities', activityBody({ capacity: 0 }))).status).toBe(400);
    expect((await h.api<Answer>('POST', '/api/alliance/activities', activityBody({ targetIds: ['ghost'] }))).body.error).toMatchObject({ code: 'invalid_activity' });
    const taken = await h.api<Answer>('POST', '/api/alliance/participants', { id: 'someone-else', kind: 'volunteer', name: '重复', wecomUserId: 'zhujian-staff' });
    expect(taken.body.error).toMatchObject({ code: 'already_registered' });
  });
});
