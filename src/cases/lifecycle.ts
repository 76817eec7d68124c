import { withdrawActive } from './assignments';
import { hasRole, isCommunityWorkerFor, isReporterOf, isStreetStaff, requiredText } from './permissions';
import { commit, refuse } from './transition';
import type { Case, CommandContext, CommandResult } from './types';
import { OPEN_CASE_STATES } from './types';

export interface ReasonInput {
  reason: string;
}

/** 上报街道: the community cannot solve it; the street dispatcher takes over. */
export function escalateToStreet(c: Case, input: ReasonInput, ctx: CommandContext): CommandResult {
  if (!isStreetStaff(ctx.actor) && !isCommunityWorkerFor(ctx.actor, c)) return refuse('not_allowed', '只有网格员或街道可以上报街道');
  if (c.level !== 'community' || (c.state !== 'community' && c.state !== 'in_progress')) {
    return refuse('illegal_state', '只有社区处理中的案件可以上报街道');
  }
  const reason = requiredText(input.reason);
  if (!reason) return refuse('invalid_input', '请填写上报理由');
  const next: Case = { ...c, level: 'street', state: 'triage', assignments: withdrawActive(c.assignments) };
  return commit(next, ctx, [{ type: 'escalated_to_street', details: { reason } }]);
}

export interface MergeInput {
  targetId: string;
  targetNumber?: string;
}

/** Closes a duplicate by pointing it at the open case it repeats; see `absorbDuplicate` for the target. */
export function merge(c: Case, input: MergeInput, ctx: CommandContext): CommandResult {
  if (!isStreetStaff(ctx.actor) && !hasRole(ctx.actor, 'system')) return refuse('not_allowed', '只有街道可以合并重复案件');
  if (!OPEN_CASE_STATES.includes(c.state)) return refuse('illegal_state', '该案件已结束，不能合并');
  if (input.targetId === c.id) return refuse('invalid_input', '不能把案件合并到它自己');
  const next: Case = { ...c, state: 'merged', mergedInto: input.targetId, assignments: withdrawActive(c.assignments) };
  return commit(next, ctx, [{ type: 'merged', details: { into: input.targetId, intoNumber: input.targetNumber } }]);
}

export interface AbsorbInput {
  duplicateId: string;
  duplicateNumber?: string;
}

export function absorbDuplicate(target: Case, input: AbsorbInput, ctx: CommandContext): CommandResult {
  if (!isStreetStaff(ctx.actor) && !hasRole(ctx.actor, 'system')) return refuse('not_allowed', '只有街道可以合并重复案件');
  if (!OPEN_CASE_STATES.includes(target.state)) return refuse('illegal_state', '目标案件已结束，不能合并到该案件');
  if (input.duplicateId === target.id) return refuse('invalid_input', '不能把案件合并到它自己');
  if (target.mergedDuplicates.includes(input.duplicateId)) return refuse('already_applied', '该重复案件已经合并过');
  const next: Case = { ...target, mergedDuplicates: [...target.mergedDuplicates, input.duplicateId] };
  return commit(next, ctx, [{ type: 'duplicate_merged_in', details: { duplicate: input.duplicateId, duplicateNumber: input.duplicateNumber } }]);
}

/** 撤销: street staff may cancel any open case; the reporter only before departments are involved. */
export function cancel(c: Case, input: ReasonInput, ctx: CommandContext): CommandResult {
  const byReporter = isReporterOf(ctx.actor, c);
  if (!isStreetStaff(ctx.actor) && !byReporter) return refuse('not_allowed', '只有街道或反映人可以撤销案件');
  if (!OPEN_CASE_STATES.includes(c.state)) return refuse('illegal_state', '该案件已结束，不能撤销');
  if (byReporter && c.state !== 'triage' && c.state !== 'community') return refuse('illegal_state', '案件已在办理中，请联系街道撤销');
  const reason = requiredText(input.reason);
  if (!reason) return refuse('invalid_input', '请填写撤销理由');
  const next: Case = { ...c, state: 'cancelled', cancelReason: reason, assignments: withdrawActive(c.assignments) };
  return commit(next, ctx, [{ type: 'cancelled', details: { reason } }]);
}
