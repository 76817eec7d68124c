import type { Activity, Participant, Signup } from '../../../src/alliance/types';

export const at = (iso: string) => new Date(iso);

export function activity(overrides: Partial<Activity> = {}): Activity {
  return {
    id: 'A000000000001',
    title: '助老义诊',
    description: '',
    organiser: { level: 'street', id: 'wenming', userId: 'dispatcher' },
    kind: 'service',
    venue: { name: '文明广场', latitude: 25.04, longitude: 102.7, radiusMeters: 200 },
    // 09:00–12:00 Beijing time
    startsAt: at('2026-05-10T01:00:00Z'),
    endsAt: at('2026-05-10T04:00:00Z'),
    capacity: 2,
    waitlistCapacity: 1,
    skills: [],
    targetKinds: ['volunteer', 'party_member'],
    targetIds: [],
    postedAt: at('2026-05-01T00:00:00Z'),
    ...overrides,
  };
}

export function participant(overrides: Partial<Participant> = {}): Participant {
  return { id: 'p1', kind: 'volunteer', name: '李志愿', streetId: 'wenming', skills: [], ...overrides };
}

export function signup(overrides: Partial<Signup> = {}): Signup {
  return { activityId: 'A000000000001', participantId: 'p1', signedUpAt: at('2026-05-02T00:00:00Z'), seat: 1, confirmedAt: at('2026-05-03T00:00:00Z'), corrections: [], ...overrides };
}
