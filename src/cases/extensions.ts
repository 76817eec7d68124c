import { departmentName } from '../labels';
import { assignmentIndexFor, replaceAssignment } from './assignments';
import { actingDepartment, isStreetStaff, requiredText } from './permissions';
import { commit, refuse } from './transition';
import type { Assignment, Case, CommandContext, CommandResult, ExtensionRequest } from './types';

function pendingExtension(a: Assignment): ExtensionRequest | undefined {
  const last = a.extensions[a.extensions.length - 1];
  return last && last.decision === undefined ? last : undefined;
}

export interface ExtensionRequestInput {
  reason: string;
  requestedDueAt: Date;
}

/** 申请延期: a department that accepted asks for a later finish deadline. */
export function requestExtension(c: Case, input: ExtensionRequestInput, ctx: CommandContext): CommandResult {
  const deptCode = actingDepartment(ctx.actor, c);
  if (deptCode === undefined) return refuse('not_allowed', '只有承办部门可以申请延期');
  if (c.state !== 'in_progress' && c.state !== 'whistled' && c.state !== 'awaiting_verification') return refuse('illegal_state', '该案件当前不能申请延期');
  const index = assignmentIndexFor(c, deptCode);
  const assignment = c.assignments[index];
  if (!assignment || assignment.state !== 'accepted') return refuse('not_yours', `${departmentName(deptCode)}没有正在办理的该案件`);
  const reason = requiredText(input.reason);
  if (!reason) return refuse('invalid_input', '请填写延期理由');
  const floor = Math.max(ctx.now.getTime(), assignment.finishDueAt?.getTime() ?? 0);
  if (input.requestedDueAt.getTime() <= floor) return refuse('invalid_input', '申请的办结时间必须晚于当前期限');
  if (pendingExtension(assignment)) return refuse('pending_extension', '已有一个延期申请在等待审批');

  const request: ExtensionRequest = { requestedBy: ctx.actor.userId, requestedAt: ctx.now, reason, requestedDueAt: input.requestedDueAt };
  const assignments = replaceAssignment(c, index, { extensions: [...assignment.extensions, request] });
  return commit({ ...c, assignments }, ctx, [
    { type: 'extension_requested', deptCode, details: { reason, requestedDueAt: input.requestedDueAt.toISOString() } },
  ]);
}

export interface ExtensionDecisionInput {
  deptCode: string;
  approve: boolean;
  note?: string;
}

/** 延期审批: approval moves the department's finish deadline. */
export function decideExtension(c: Case, input: ExtensionDecisionInput, ctx: CommandContext): CommandResult {
  if (!isStreetStaff(ctx.actor)) return refuse('not_allowed', '只有街道可以审批延期');
  const index = assignmentIndexFor(c, input.deptCode);
  const assignment = c.assignments[index];
  const request = assignment && pendingExtension(assignment);
  if (!assignment || !request) return refuse('no_pending_extension', '没有待审批的延期申请');
  const note = requiredText(input.note);
  const decided: ExtensionRequest = {
    ...request,
    decision: input.approve ? 'approved' : 'rejected',
    decidedBy: ctx.actor.userId,
    decidedAt: ctx.now,
    ...(note !== undefined && { decisionNote: note }),
  };
  const extensions = [...assignment.extensions.slice(0, -1), decided];
  const assignments = replaceAssignment(c, index, {
    extensions,
    ...(input.approve && { finishDueAt: request.requestedDueAt }),
  });
  const counters = input.approve ? { ...c.counters, extensions: c.counters.extensions + 1 } : c.counters;
  return commit({ ...c, assignments, counters }, ctx, [
    { type: 'extension_decided', deptCode: input.deptCode, details: { approved: input.approve, note, finishDueAt: input.approve ? request.requestedDueAt.toISOString() : undefined } },
  ]);
}
