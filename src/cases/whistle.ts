import { isDepartmentCode } from '../taxonomy';
import { withdrawActive } from './assignments';
import { hasRole } from './permissions';
import { commit, refuse } from './transition';
import type { Assignment, Case, CommandContext, CommandResult } from './types';

export interface WhistleInput {
  /** Lead department first, then the assisting ones. */
  departments: string[];
}

/** 街道吹哨: notify the departments; the first one leads. */
export function whistle(c: Case, input: WhistleInput, ctx: CommandContext): CommandResult {
  if (!hasRole(ctx.actor, 'dispatcher', 'leader', 'system')) return refuse('not_allowed', '只有街道调度员可以吹哨派单');
  if (c.state !== 'triage' && c.state !== 'community') return refuse('illegal_state', '该案件已派单或已结束，不能再次吹哨');
  const departments = [...new Set(input.departments)];
  if (departments.length === 0) return refuse('invalid_input', '请至少选择一个牵头部门');
  const unknown = departments.filter((d) => !isDepartmentCode(d));
  if (unknown.length > 0) return refuse('invalid_input', `未知的部门：${unknown.join('、')}`);

  const acceptDueAt = ctx.plan?.(c, 'accept', ctx.now);
  const fresh: Assignment[] = departments.map((deptCode, i) => ({
    deptCode,
    role: i === 0 ? 'lead' : 'assisting',
    state: 'pending',
    whistledAt: ctx.now,
    ...(acceptDueAt !== undefined && { acceptDueAt }),
    resultMedia: [],
    reopenCount: 0,
    extensions: [],
  }));
  const next: Case = { ...c, level: 'street', state: 'whistled', assignments: [...withdrawActive(c.assignments), ...fresh] };
  return commit(next, ctx, [{ type: 'whistled', details: { departments: departments.join(','), lead: departments[0] } }]);
}
