import { isDepartmentCode } from '../taxonomy';
import { withdrawActive } from './assignments';
import { hasRole } from './permissions';
import { commit, refuse } from './transition';
import type { Assignment, Case, CommandContext, CommandResult, Refusal } from './types';

export interface WhistleInput {
  /** Lead department first, then the assisting ones. */
  departments: string[];
}

/** 街道吹哨: notify the departments; the first one leads. */
export function whistle(c: Case, input: WhistleInput, ctx: CommandContext): CommandResult {
  if (!hasRole(ctx.actor, 'dispatcher', 'leader', 'system')) return refuse('not_allowed', '只有街道调度员可以吹哨派单');
  if (c.state !== 'triage' && c.state !== 'community') return refuse('illegal_state', '该案件已派单或已结束，不能再次吹哨');
  const fresh = freshAssignments(c, input.departments, ctx);
  if (!Array.isArray(fresh)) return fresh;
  const next: Case = { ...c, level: 'street', state: 'whistled', assignments: [...withdrawActive(c.assignments), ...fresh] };
  return commit(next, ctx, [{ type: 'whistled', details: { departments: fresh.map((a) => a.deptCode).join(','), lead: fresh[0]?.deptCode } }]);
}

/** New pending assignments, lead first; a refusal when the list is empty or names an unknown department. */
function freshAssignments(c: Case, requested: string[], ctx: CommandContext): Assignment[] | Refusal {
  const departments = [...new Set(requested)];
  if (departments.length === 0) return refuse('invalid_input', '请至少选择一个牵头部门');
  const unknown = departments.filter((d) => !isDepartmentCode(d));
  if (unknown.length > 0) return refuse('invalid_input', `未知的部门：${unknown.join('、')}`);
  const acceptDueAt = ctx.plan?.(c, 'accept', ctx.now);
  return departments.map((deptCode, i) => ({
    deptCode,
    role: i === 0 ? 'lead' : 'assisting',
    state: 'pending',
    whistledAt: ctx.now,
    ...(acceptDueAt !== undefined && { acceptDueAt }),
    resultMedia: [],
    reopenCount: 0,
    extensions: [],
  }));
}

/**
 * 改派: the street replaces the departments of a case already whistled (lead first). The current
 * assignments are withdrawn and the new departments are whistled afresh, with new accept deadlines.
 */
export function reassign(c: Case, input: WhistleInput, ctx: CommandContext): CommandResult {
  if (!hasRole(ctx.actor, 'dispatcher', 'leader')) return refuse('not_allowed', '只有街道调度员或领导可以改派');
  if (c.state !== 'whistled' && c.state !== 'in_progress') return refuse('illegal_state', '只有已派单、办理中的案件可以改派');
  const fresh = freshAssignments(c, input.departments, ctx);
  if (!Array.isArray(fresh)) return fresh;
  const before = c.assignments.filter((a) => a.state === 'pending' || a.state === 'accepted' || a.state === 'done').map((a) => a.deptCode);
  const next: Case = { ...c, state: 'whistled', assignments: [...withdrawActive(c.assignments).map((a) => (a.state === 'done' ? { ...a, state: 'withdrawn' as const } : a)), ...fresh] };
  return commit(next, ctx, [{ type: 'reassigned', details: { from: before.join(','), departments: fresh.map((a) => a.deptCode).join(','), lead: fresh[0]?.deptCode } }]);
}
