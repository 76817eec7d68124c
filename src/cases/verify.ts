import { activeLead } from './assignments';
import { hasRole, isCommunityWorkerFor, isStreetStaff, requiredText } from './permissions';
import { commit, refuse } from './transition';
import type { Assignment, Case, CommandContext, CommandResult } from './types';

export interface VerifyInput {
  /** `reopen`: not solved, back to the lead; `unsolvable`: closed without a solution (street staff only). */
  outcome: 'solved' | 'reopen' | 'unsolvable';
  note?: string;
}

function reopenedLead(lead: Assignment, finishDueAt: Date | undefined): Assignment {
  const { doneAt: _doneAt, resultText: _resultText, ...rest } = lead;
  return { ...rest, state: 'accepted', resultMedia: [], reopenCount: lead.reopenCount + 1, ...(finishDueAt !== undefined && { finishDueAt }) };
}

/** 核实结项: the street (or the grid member on site) checks the lead department's result. */
export function verify(c: Case, input: VerifyInput, ctx: CommandContext): CommandResult {
  const mayVerify = isStreetStaff(ctx.actor) || (hasRole(ctx.actor, 'grid') && isCommunityWorkerFor(ctx.actor, c));
  if (!mayVerify) return refuse('not_allowed', '只有街道或网格员可以核实');
  if (c.state !== 'awaiting_verification') return refuse('illegal_state', '该案件不在待核实状态');
  const lead = activeLead(c);
  if (!lead) return refuse('illegal_state', '该案件没有牵头部门的办理结果');
  const note = requiredText(input.note);

  if (input.outcome === 'reopen') {
    if (!note) return refuse('invalid_input', '请填写未解决的原因');
    const finishDueAt = ctx.plan?.(c, 'finish', ctx.now);
    const { verifyDueAt: _verifyDueAt, ...rest } = c;
    const next: Case = {
      ...rest,
      state: 'in_progress',
      assignments: c.assignments.map((a) => (a === lead ? reopenedLead(a, finishDueAt) : a)),
      counters: { ...c.counters, reopenings: c.counters.reopenings + 1 },
    };
    return commit(next, ctx, [{ type: 'reopened', deptCode: lead.deptCode, details: { reason: note, previousResult: lead.resultText ?? null } }]);
  }
  if (input.outcome === 'unsolvable') {
    if (!isStreetStaff(ctx.actor)) return refuse('not_allowed', '只有街道可以按“无法解决”结项');
    if (!note) return refuse('invalid_input', '请说明无法解决的原因');
  }
  const resolution = input.outcome === 'solved' ? 'solved' : 'unsolved';
  const next: Case = {
    ...c,
    state: 'closed',
    closedAt: ctx.now,
    verification: { resolution, by: ctx.actor.userId, at: ctx.now, ...(note !== undefined && { note }) },
  };
  return commit(next, ctx, [{ type: 'verified', deptCode: lead.deptCode, details: { resolution, note } }]);
}
