import { departmentName } from '../labels';
import { acceptorLabel, assignmentIndexFor, replaceAssignment } from './assignments';
import { COMMUNITY_DEPT_CODE, actingDepartment } from './permissions';
import { commit, refuse } from './transition';
import type { Assignment, Case, CommandContext, CommandResult } from './types';

function acceptCommunityCase(c: Case, ctx: CommandContext): CommandResult {
  const finishDueAt = ctx.plan?.(c, 'finish', ctx.now);
  const assignment: Assignment = {
    deptCode: COMMUNITY_DEPT_CODE,
    role: 'lead',
    state: 'accepted',
    whistledAt: ctx.now,
    acceptedBy: ctx.actor.userId,
    ...(ctx.actor.name !== undefined && { acceptedByName: ctx.actor.name }),
    acceptedAt: ctx.now,
    ...(finishDueAt !== undefined && { finishDueAt }),
    resultMedia: [],
    reopenCount: 0,
    extensions: [],
  };
  const next: Case = { ...c, state: 'in_progress', assignments: [...c.assignments, assignment] };
  return commit(next, ctx, [{ type: 'accepted', deptCode: COMMUNITY_DEPT_CODE, details: { role: 'lead' } }]);
}

/** 部门报到: a member of a whistled department takes the case on. */
export function accept(c: Case, ctx: CommandContext): CommandResult {
  const deptCode = actingDepartment(ctx.actor, c);
  if (deptCode === undefined) return refuse('not_allowed', '只有被吹哨部门的人员可以接哨');
  if (c.state === 'community') {
    return deptCode === COMMUNITY_DEPT_CODE ? acceptCommunityCase(c, ctx) : refuse('not_yours', '该案件由社区处理，不是派给本部门的');
  }
  if (c.state === 'triage') return refuse('illegal_state', '该案件正在等待街道派单，暂不能接哨');
  if (c.state !== 'whistled' && c.state !== 'in_progress' && c.state !== 'awaiting_verification') {
    return refuse('illegal_state', '该案件已结束，不能接哨');
  }
  const index = assignmentIndexFor(c, deptCode);
  const assignment = c.assignments[index];
  if (!assignment) return refuse('not_yours', `该案件没有派给${departmentName(deptCode)}`);
  if (assignment.state === 'returned') return refuse('not_yours', `${departmentName(deptCode)}已退回该案件`);
  if (assignment.state === 'withdrawn') return refuse('not_yours', `该案件已不再由${departmentName(deptCode)}办理`);
  if (assignment.state !== 'pending') return refuse('already_accepted', `该案件已由${acceptorLabel(assignment)}接哨`);

  const finishDueAt = ctx.plan?.(c, 'finish', ctx.now);
  const assignments = replaceAssignment(c, index, {
    state: 'accepted',
    acceptedBy: ctx.actor.userId,
    ...(ctx.actor.name !== undefined && { acceptedByName: ctx.actor.name }),
    acceptedAt: ctx.now,
    ...(finishDueAt !== undefined && { finishDueAt }),
  });
  const state = assignment.role === 'lead' ? 'in_progress' : c.state;
  return commit({ ...c, state, assignments }, ctx, [{ type: 'accepted', deptCode, details: { role: assignment.role } }]);
}
