import { departmentName } from '../labels';
import { assignmentIndexFor, replaceAssignment, withdrawActive } from './assignments';
import { actingDepartment, requiredText } from './permissions';
import { commit, refuse } from './transition';
import type { Case, CommandContext, CommandResult } from './types';

export interface ReturnInput {
  reason: string;
}

/**
 * 退回: a department says the case is not theirs. When the lead returns, the case goes back to the
 * street dispatcher (triage) and the other departments are stood down.
 */
export function returnCase(c: Case, input: ReturnInput, ctx: CommandContext): CommandResult {
  const deptCode = actingDepartment(ctx.actor, c);
  if (deptCode === undefined || c.level === 'community') return refuse('not_allowed', '只有被吹哨部门的人员可以退回');
  if (c.state !== 'whistled' && c.state !== 'in_progress' && c.state !== 'awaiting_verification') {
    return refuse('illegal_state', '该案件当前不能退回');
  }
  const reason = requiredText(input.reason);
  if (!reason) return refuse('invalid_input', '请填写退回理由');
  const index = assignmentIndexFor(c, deptCode);
  const assignment = c.assignments[index];
  if (!assignment || (assignment.state !== 'pending' && assignment.state !== 'accepted' && assignment.state !== 'done')) {
    return refuse('not_yours', `该案件没有派给${departmentName(deptCode)}`);
  }
  if (assignment.state === 'done') return refuse('already_done', '本部门已反馈办结，不能退回');

  const returned = replaceAssignment(c, index, { state: 'returned', returnReason: reason, returnedAt: ctx.now });
  const isLead = assignment.role === 'lead';
  const next: Case = {
    ...c,
    state: isLead ? 'triage' : c.state,
    assignments: isLead ? withdrawActive(returned) : returned,
    counters: { ...c.counters, returns: c.counters.returns + 1 },
  };
  return commit(next, ctx, [{ type: 'returned', deptCode, details: { reason, role: assignment.role } }]);
}
