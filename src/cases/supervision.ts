import { isStreetStaff, requiredText } from './permissions';
import { commit, refuse } from './transition';
import type { Case, CommandContext, CommandResult } from './types';
import { OPEN_CASE_STATES } from './types';

export interface SupervisionInput {
  reason: string;
}

function openStreetCase(c: Case, ctx: CommandContext, action: string): CommandResult | undefined {
  if (!isStreetStaff(ctx.actor)) return refuse('not_allowed', `只有街道调度员或领导可以${action}`);
  if (!OPEN_CASE_STATES.includes(c.state)) return refuse('illegal_state', `该案件已结束，不能${action}`);
  return undefined;
}

/** 标记疑难件: the street tracks the case specially (board, list filter) until it is resolved or closes. */
export function markHardCase(c: Case, input: SupervisionInput, ctx: CommandContext): CommandResult {
  const refused = openStreetCase(c, ctx, '标记疑难件');
  if (refused) return refused;
  if (c.hardCase && c.hardCase.resolvedAt === undefined) return refuse('already_applied', '该案件已经是疑难件');
  const reason = requiredText(input.reason);
  if (!reason) return refuse('invalid_input', '请填写列为疑难件的原因');
  return commit({ ...c, hardCase: { by: ctx.actor.userId, at: ctx.now, reason } }, ctx, [{ type: 'hard_case_marked', details: { reason } }]);
}

/** 解除疑难件: the hard problem is unblocked; the case goes on as usual. */
export function resolveHardCase(c: Case, input: SupervisionInput, ctx: CommandContext): CommandResult {
  if (!isStreetStaff(ctx.actor)) return refuse('not_allowed', '只有街道调度员或领导可以解除疑难件');
  if (!c.hardCase || c.hardCase.resolvedAt !== undefined) return refuse('illegal_state', '该案件不是疑难件');
  const reason = requiredText(input.reason);
  if (!reason) return refuse('invalid_input', '请填写解除疑难件的说明');
  return commit({ ...c, hardCase: { ...c.hardCase, resolvedAt: ctx.now } }, ctx, [{ type: 'hard_case_resolved', details: { reason } }]);
}

/** 公开反映人信息: the departments on the case may now see who reported it and how to reach them. */
export function releaseReporter(c: Case, input: SupervisionInput, ctx: CommandContext): CommandResult {
  if (!isStreetStaff(ctx.actor)) return refuse('not_allowed', '只有街道调度员或领导可以向部门公开反映人信息');
  if (c.reporterRelease) return refuse('already_applied', '反映人信息已经公开给承办部门');
  const reason = requiredText(input.reason);
  if (!reason) return refuse('invalid_input', '请填写公开反映人信息的理由');
  return commit({ ...c, reporterRelease: { by: ctx.actor.userId, at: ctx.now, reason } }, ctx, [{ type: 'reporter_released', details: { reason } }]);
}

/** 提级督办: the street asks the district to supervise an open street case. */
export function escalateToDistrict(c: Case, input: SupervisionInput, ctx: CommandContext): CommandResult {
  const refused = openStreetCase(c, ctx, '提请区级督办');
  if (refused) return refused;
  if (c.level !== 'street') return refuse('illegal_state', '社区处理中的案件请先上报街道');
  if (c.districtEscalation) return refuse('already_applied', '该案件已提请区级督办');
  const reason = requiredText(input.reason);
  if (!reason) return refuse('invalid_input', '请填写提请区级督办的理由');
  return commit({ ...c, districtEscalation: { by: ctx.actor.userId, at: ctx.now, reason } }, ctx, [{ type: 'escalated_to_district', details: { reason } }]);
}
