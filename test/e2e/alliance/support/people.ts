import type { Participant } from '../../../../src/alliance/types';

/** Alliance participants among the demo district's people (config/district.demo.json). */
export const PEOPLE: Participant[] = [
  { id: 'unit-gongdian', kind: 'alliance_unit', name: '文明供电所', wecomUserId: 'gongdian-lead', streetId: 'wenming', skills: ['电力'] },
  { id: 'org-zhujian', kind: 'party_org', name: '区住建局机关党支部', wecomUserId: 'zhujian-lead', streetId: 'wenming', skills: [] },
  { id: 'member-w', kind: 'party_member', name: '王干事', wecomUserId: 'zhujian-staff', orgId: 'org-zhujian', homeOrganisation: '区住建局机关党支部', streetId: 'wenming', communityId: 'nongji', skills: [] },
];

export const ORGANISER = 'dispatcher-wenming';

/** A 哨令 at 文明广场 on 10 May 2026, 09:00–12:00 Beijing time. */
export function activityBody(overrides: Record<string, unknown> = {}) {
  return {
    title: '助老义诊',
    description: '为社区老人量血压、讲解用药',
    organiser: { level: 'street', id: 'wenming', userId: ORGANISER },
    kind: 'service',
    venue: { name: '文明广场', latitude: 25.04, longitude: 102.7, radiusMeters: 200 },
    startsAt: '2026-05-10T09:00:00+08:00',
    endsAt: '2026-05-10T12:00:00+08:00',
    capacity: 3,
    waitlistCapacity: 1,
    targetKinds: ['party_member', 'alliance_unit', 'volunteer'],
    ...overrides,
  };
}

export const START = new Date('2026-05-10T01:00:00Z');
export const minutes = (n: number) => n * 60_000;
export const ON_SITE = { latitude: 25.0405, longitude: 102.7 };
export const FAR_AWAY = { latitude: 25.05, longitude: 102.7 };
