import { behindQuota, exchangeDecision, pointsBalance, pointsFor, rank, starsFor, yearlyFigures, type PointsPolicy, type QuotaPolicy } from '../../../src/alliance';
import { activity, at, participant, signup } from './fixtures';

const points: PointsPolicy = {
  default: { perAttendance: 2, perHour: 1 },
  byKind: { emergency: { perAttendance: 5, perHour: 2 }, meeting: { perAttendance: 1, perHour: 0 } },
  maxPerActivity: 20,
  stars: [10, 30, 60, 100, 150],
};
const quotas: QuotaPolicy = { alliance_unit: { measure: 'activities', required: 2 }, party_org: { measure: 'hours', required: 12 }, party_member: { measure: 'hours', required: 6 } };

// a1: service 09:00–12:00; a2: emergency 14:00–18:00; a3: meeting 19:00–20:00 (local)
const a1 = activity({ id: 'A000000000001', kind: 'service' });
const a2 = activity({ id: 'A000000000002', kind: 'emergency', startsAt: at('2026-06-01T06:00:00Z'), endsAt: at('2026-06-01T10:00:00Z') });
const a3 = activity({ id: 'A000000000003', kind: 'meeting', startsAt: at('2026-07-01T11:00:00Z'), endsAt: at('2026-07-01T12:00:00Z') });
const attendedFor = (a: typeof a1, participantId: string, inAt: string, outAt: string) =>
  signup({ activityId: a.id, participantId, checkedInAt: at(inAt), checkedOutAt: at(outAt) });

const people = [
  participant({ id: 'org', kind: 'party_org', name: '机关党支部' }),
  participant({ id: 'm', kind: 'party_member', name: '王党员', orgId: 'org', homeOrganisation: '机关党支部' }),
  participant({ id: 'v', kind: 'volunteer', name: '李志愿' }),
  participant({ id: 'u', kind: 'alliance_unit', name: '供电所' }),
];
const signups = [
  attendedFor(a1, 'm', '2026-05-10T00:55:00Z', '2026-05-10T04:10:00Z'), // 3 h → 2 + 3 = 5
  attendedFor(a2, 'm', '2026-06-01T06:00:00Z', '2026-06-01T08:45:00Z'), // 2 h 45 → 2.5 h → 5 + 5 = 10
  attendedFor(a1, 'v', '2026-05-10T01:00:00Z', '2026-05-10T04:00:00Z'), // 3 h → 5
  attendedFor(a2, 'v', '2026-06-01T06:00:00Z', '2026-06-01T10:00:00Z'), // 4 h → 5 + 8 = 13
  attendedFor(a3, 'org', '2026-07-01T11:00:00Z', '2026-07-01T12:00:00Z'), // 1 h → 1
  { ...attendedFor(a1, 'u', '2026-05-10T01:00:00Z', '2026-05-10T01:20:00Z'), corrections: [{ hours: 2, reason: '签退漏记，按签到表核定', by: 'sq', at: at('2026-05-11T00:00:00Z') }] }, // 2 h → 4
];
const exchanges = [{ id: 'v:1', participantId: 'v', reward: '环保袋', points: 10, at: at('2026-08-01T00:00:00Z'), by: 'sq' }];

describe('points, stars, quotas and rankings against hand-computed figures', () => {
  const years = yearlyFigures({ participants: people, activities: [a1, a2, a3], signups, exchanges }, { points, quotas });
  const of = (id: string) => years.find((y) => y.participant.id === id)!;

  it('points per rule, capped per activity; stars by thresholds', () => {
    expect(pointsFor(points, 'service', 3)).toBe(5);
    expect(pointsFor(points, 'emergency', 2.5)).toBe(10);
    expect(pointsFor(points, 'emergency', 8)).toBe(20); // 5 + 16 = 21, capped
    expect(pointsFor(points, 'unknown-kind', 1.5)).toBe(3); // default rule, floor(2 + 1.5)
    expect(pointsFor(points, 'service', 0)).toBe(0);
    expect([starsFor(points, 9), starsFor(points, 10), starsFor(points, 150)]).toEqual([0, 1, 5]);
  });

  it('a member: 5.5 hours, 15 points, one star, behind the 6-hour quota', () => {
    expect(of('m')).toMatchObject({ activities: 2, hours: 5.5, points: 15, stars: 1, quota: { done: 5.5, required: 6, met: false, text: '今年已服务 5.5 小时，共需 6 小时' } });
  });

  it('an organisation counts its members: 1 own hour + 5.5 = 6.5 of 12', () => {
    expect(of('org')).toMatchObject({ hours: 1, points: 1, members: { count: 1, hours: 5.5, activities: 3 }, quota: { done: 6.5, required: 12, met: false } });
  });

  it('a unit: "1 of 2 this year", from a corrected record', () => {
    expect(of('u')).toMatchObject({ activities: 1, hours: 2, points: 4, quota: { text: '今年已报到 1 次，共需 2 次', met: false } });
    expect(of('u').lines[0]).toMatchObject({ hours: 2, correction: '签退漏记，按签到表核定' });
  });

  it('a volunteer: 7 hours, 18 points, 10 redeemed; no quota', () => {
    expect(of('v')).toMatchObject({ hours: 7, points: 18, stars: 1, redeemed: 10 });
    expect(of('v').quota).toBeUndefined();
  });

  it('ranks by points, then hours', () => {
    expect(rank(years).map((y) => [y.participant.id, y.rank])).toEqual([['v', 1], ['m', 2], ['u', 3], ['org', 4]]);
    expect(rank([of('m'), { ...of('v'), points: 15, hours: 5.5 }]).map((y) => y.rank)).toEqual([1, 1]);
  });

  it('balance is earned less exchanged; an exchange beyond it is refused', () => {
    const balance = pointsBalance('v', [a1, a2, a3], signups, exchanges, points);
    expect(balance).toBe(8);
    expect(exchangeDecision(balance, 8, '李志愿')).toEqual({ ok: true });
    expect(exchangeDecision(balance, 9, '李志愿')).toMatchObject({ ok: false, code: 'insufficient_points', message: expect.stringContaining('可用积分为 8') });
  });

  it('those behind their quota are the org, the member and the unit', () => {
    expect(behindQuota(years).map((y) => y.participant.id).sort()).toEqual(['m', 'org', 'u']);
  });
});
