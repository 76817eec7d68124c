import { districtSeedSchema, type DistrictSeed } from '../../../../config/district';
import type { SlaConfig } from '../../../../src/sla';

/** A small district: a webhook department, an app-chat department, a street chat and the leaders' chat. */
export const TEST_SEED: DistrictSeed = districtSeedSchema.parse({
  district: { id: 'd1', name: '测试区', leadershipChat: { kind: 'appchat', chatId: 'chatleaders' } },
  streets: [
    {
      id: 's1',
      name: '文明街道',
      chat: { kind: 'appchat', chatId: 'chatstreet' },
      communities: [{ id: 'c1', name: '农机社区', grids: [{ id: 'g1', name: '第一网格' }] }],
    },
  ],
  departments: [
    { code: 'zhujian', chat: { kind: 'webhook', key: 'wh-zhujian' } },
    { code: 'chengguan', chat: { kind: 'appchat', chatId: 'chatcg' } },
  ],
  users: [
    { userId: 'disp1', name: '赵调度', roles: ['dispatcher'], streetId: 's1' },
    { userId: 'zj-lead', name: '王科长', roles: ['dept_lead'], deptCode: 'zhujian' },
    { userId: 'zj-staff', name: '王干事', roles: ['dept_member'], deptCode: 'zhujian' },
    { userId: 'cg-lead', name: '李科长', roles: ['dept_lead'], deptCode: 'chengguan' },
    { userId: 'cg-staff', name: '李干事', roles: ['dept_member'], deptCode: 'chengguan' },
  ],
});

export const APP_CHATS: Record<string, string[]> = {
  'chatleaders': ['disp1', 'zj-lead'],
  'chatstreet': ['disp1', 'zj-lead'],
  'chatcg': ['cg-lead', 'cg-staff'],
};

export interface TestStageTimes {
  /** Seconds to accept, to finish, to verify. */
  accept: number;
  finish: number;
  verify: number;
  overdueEverySeconds: number;
  maxOverdueReminders: number;
  /** Seconds after the deadline for each escalation step: street dispatcher, then district leadership. */
  escalateAfterSeconds: [number, number];
}

export const DEFAULT_TEST_TIMES: TestStageTimes = { accept: 6, finish: 12, verify: 6, overdueEverySeconds: 3, maxOverdueReminders: 1, escalateAfterSeconds: [0, 3] };

/**
 * A policy in seconds, on the calendar clock. Built as a typed object rather than parsed: the
 * production schema asks whole minutes for overdue repeats, far too slow for a test.
 */
export function testSla(times: TestStageTimes = DEFAULT_TEST_TIMES): SlaConfig {
  const minutes = (seconds: number) => seconds / 60;
  const stage = (seconds: number) => ({
    duration: `${minutes(seconds)}m`,
    clock: 'calendar' as const,
    reminders: { fractions: [0.5, 0.8], atDeadline: true, overdueEveryMinutes: minutes(times.overdueEverySeconds), maxOverdueReminders: times.maxOverdueReminders },
    escalation: [
      { afterDeadlineMinutes: minutes(times.escalateAfterSeconds[0]), to: 'street_dispatcher' as const },
      { afterDeadlineMinutes: minutes(times.escalateAfterSeconds[1]), to: 'district_leadership' as const },
    ],
  });
  const policy = { accept: stage(times.accept), finish: stage(times.finish), verify: stage(times.verify) };
  return {
    timeZone: 'Asia/Shanghai',
    workingHours: [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '18:00' }],
    extraHolidays: [],
    extraWorkdays: [],
    statutoryYears: {},
    reminders: policy.accept.reminders,
    escalation: policy.accept.escalation,
    policies: { emergency: policy, key: policy, daily: policy },
    overrides: [],
  };
}
