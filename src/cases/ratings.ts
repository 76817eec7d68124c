import { departmentName } from '../labels';
import { assignmentIndexFor, replaceAssignment } from './assignments';
import { actingDepartment, hasRole, isReporterOf, isStreetStaff, requiredText } from './permissions';
import { commit, refuse } from './transition';
import type { Case, CommandContext, CommandResult, Satisfaction } from './types';

export interface RateInput {
  value: Satisfaction;
  comment?: string;
}

/** 综合评价: the reporter (or the dispatcher recording a hotline call-back) rates a closed case once. */
export function rate(c: Case, input: RateInput, ctx: CommandContext): CommandResult {
  if (!isReporterOf(ctx.actor, c) && !hasRole(ctx.actor, 'dispatcher')) return refuse('not_allowed', '只有反映人可以评价该案件');
  if (c.state !== 'closed') return refuse('illegal_state', '案件办结后才能评价');
  if (c.satisfaction) return refuse('already_rated', '该案件已经评价过了');
  const comment = requiredText(input.comment);
  const next: Case = {
    ...c,
    satisfaction: { value: input.value, by: ctx.actor.userId, at: ctx.now, ...(comment !== undefined && { comment }) },
  };
  return commit(next, ctx, [{ type: 'rated', details: { value: input.value, comment } }]);
}

export interface RateWhistleInput {
  reasonable: boolean;
  comment?: string;
}

/** A whistled department says once whether the whistle was reasonable (吹哨合理性评价). */
export function rateWhistle(c: Case, input: RateWhistleInput, ctx: CommandContext): CommandResult {
  const deptCode = actingDepartment(ctx.actor, c);
  if (deptCode === undefined) return refuse('not_allowed', '只有被吹哨部门可以评价吹哨');
  const index = assignmentIndexFor(c, deptCode);
  if (index < 0) return refuse('not_yours', `该案件没有派给${departmentName(deptCode)}`);
  if (c.assignments.some((a) => a.deptCode === deptCode && a.whistleRating)) return refuse('already_rated', '本部门已经评价过这次吹哨');
  const comment = requiredText(input.comment);
  const assignments = replaceAssignment(c, index, {
    whistleRating: { reasonable: input.reasonable, by: ctx.actor.userId, at: ctx.now, ...(comment !== undefined && { comment }) },
  });
  return commit({ ...c, assignments }, ctx, [{ type: 'whistle_rated', deptCode, details: { reasonable: input.reasonable, comment } }]);
}

export interface RateDepartmentInput {
  deptCode: string;
  value: Satisfaction;
  comment?: string;
}

/**
 * 街道评价部门 (双向考核, the street's half): once a case is closed, the street rates each department
 * that did work on it — 满意 / 基本满意 / 不满意 — once per department; 不满意 needs a reason.
 */
export function rateDepartment(c: Case, input: RateDepartmentInput, ctx: CommandContext): CommandResult {
  if (!isStreetStaff(ctx.actor)) return refuse('not_allowed', '只有街道调度员或领导可以评价部门');
  if (c.state !== 'closed') return refuse('illegal_state', '案件核实结项后才能评价部门');
  const index = c.assignments.findIndex((a) => a.deptCode === input.deptCode && a.state === 'done');
  if (index < 0) return refuse('not_yours', `${departmentName(input.deptCode)}没有办理该案件，不能评价`);
  if (c.assignments.some((a) => a.deptCode === input.deptCode && a.streetRating)) return refuse('already_rated', `已经评价过${departmentName(input.deptCode)}`);
  const comment = requiredText(input.comment);
  if (input.value === 'dissatisfied' && comment === undefined) return refuse('invalid_input', '评为不满意时请填写原因');
  const assignments = replaceAssignment(c, index, {
    streetRating: { value: input.value, by: ctx.actor.userId, at: ctx.now, ...(comment !== undefined && { comment }) },
  });
  return commit({ ...c, assignments }, ctx, [{ type: 'department_rated', deptCode: input.deptCode, details: { value: input.value, comment } }]);
}
