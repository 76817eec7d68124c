import { departmentName } from '../labels';
import { assignmentIndexFor, replaceAssignment } from './assignments';
import { actingDepartment, requiredText } from './permissions';
import { commit, refuse } from './transition';
import type { Case, CommandContext, CommandResult, MediaRef } from './types';

export interface FeedbackInput {
  text: string;
  media?: MediaRef[];
}

/** 处理反馈: a department reports its work done; the lead's report sends the case to verification. */
export function feedback(c: Case, input: FeedbackInput, ctx: CommandContext): CommandResult {
  const deptCode = actingDepartment(ctx.actor, c);
  if (deptCode === undefined) return refuse('not_allowed', '只有承办部门的人员可以反馈');
  if (c.state !== 'whistled' && c.state !== 'in_progress' && c.state !== 'awaiting_verification') {
    return refuse('illegal_state', '该案件当前不能反馈');
  }
  const text = requiredText(input.text);
  if (!text) return refuse('invalid_input', '请填写处理结果');
  const index = assignmentIndexFor(c, deptCode);
  const assignment = c.assignments[index];
  if (!assignment || assignment.state === 'returned' || assignment.state === 'withdrawn') {
    return refuse('not_yours', `该案件没有派给${departmentName(deptCode)}`);
  }
  if (assignment.state === 'pending') return refuse('illegal_state', '请先接哨再反馈处理结果');
  if (assignment.state === 'done') return refuse('already_done', '本部门已反馈过处理结果');

  const assignments = replaceAssignment(c, index, { state: 'done', doneAt: ctx.now, resultText: text, resultMedia: [...(input.media ?? [])] });
  const isLead = assignment.role === 'lead';
  const verifyDueAt = isLead ? ctx.plan?.(c, 'verify', ctx.now) : c.verifyDueAt;
  const next: Case = {
    ...c,
    state: isLead ? 'awaiting_verification' : c.state,
    assignments,
    ...(verifyDueAt !== undefined && { verifyDueAt }),
  };
  return commit(next, ctx, [{ type: 'feedback', deptCode, details: { role: assignment.role, text, media: input.media?.length ?? 0 } }]);
}
