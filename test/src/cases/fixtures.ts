import { createCase, type Actor, type Case, type CaseDraft, type CommandContext, type DeadlinePlanner } from '../../../src/cases';

export const T0 = new Date('2026-11-23T02:00:00Z');
export const HOUR = 3_600_000;

export const actors = {
  reporter: { userId: 'grid-wang', name: '王网格', role: 'grid', communityId: 'c1' },
  resident: { userId: 'openid-li', name: '李居民', role: 'reporter' },
  dispatcher: { userId: 'disp-zhao', name: '赵调度', role: 'dispatcher' },
  system: { userId: 'system', role: 'system' },
  zhangsan: { userId: 'zj-zhang', name: '张三', role: 'dept_member', deptCode: 'zhujian' },
  lisi: { userId: 'zj-li', name: '李四', role: 'dept_lead', deptCode: 'zhujian' },
  chengguan: { userId: 'cg-sun', name: '孙城管', role: 'dept_member', deptCode: 'chengguan' },
  shuiwu: { userId: 'sw-zhou', name: '周水务', role: 'dept_member', deptCode: 'shuiwu' },
} satisfies Record<string, Actor>;

/** Deadlines an hour (accept), a day (finish) and two hours (verify) after the start: easy to assert. */
export const simplePlan: DeadlinePlanner = (_c, kind, from) =>
  new Date(from.getTime() + (kind === 'accept' ? HOUR : kind === 'finish' ? 24 * HOUR : 2 * HOUR));

let clock = T0.getTime();
export function ctx(actor: Actor, extra: Partial<CommandContext> = {}): CommandContext {
  clock += 60_000;
  return { actor, channel: 'wecom', now: new Date(clock), plan: simplePlan, ...extra };
}

export const draft: CaseDraft = {
  districtId: 'd1',
  streetId: 's1',
  communityId: 'c1',
  gridId: 'g1',
  source: 'grid',
  reporter: { userId: 'grid-wang', name: '王网格' },
  text: '幸福路12号门口路面塌陷',
  parsed: { category: 'road', urgency: 'daily', locationText: '幸福路12号门口', confidence: 0.9 },
  level: 'street',
};

export function newCase(overrides: Partial<CaseDraft> = {}, id = 'case-1'): Case {
  return createCase({ ...draft, ...overrides }, { id, number: '2026-000001' }, ctx(actors.reporter));
}

/** Unwraps an ok result, failing the test with the refusal otherwise. */
export function ok(result: { ok: true; case: Case } | { ok: false; code: string; reason: string }): Case {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.reason}`);
  return result.case;
}
