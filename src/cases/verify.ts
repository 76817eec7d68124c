import { activeLead } from './assignments';
import { hasRole, isStreetStaff, requiredText } from './permissions';
import { commit, refuse } from './transition';
import type { Actor, Assignment, Case, CommandContext, CommandResult } from './types';

export interface VerifyInput {
  /** `reopen`: not solved, back to the lead; `unsolvable`: closed without a solution (street staff only). */
  outcome: 'solved' | 'reopen' | 'unsolvable';
  note?: string;
}

function reopenedLead(lead: Assignment, finishDueAt: Date | undefined): Assignment {
  const { doneAt: _doneAt, resultText: _resultText, ...rest } = lead;
  return { ...rest, state: 'accepted', resultMedia: [], reopenCount: lead.reopenCount + 1, ...(finishDueAt !== undefined && { finishDueAt }) };
}

/**
 * Who may 核实 (README, "Who may see and do what"): a grid member's case only its reporter; any
 * other case (residents', hotline, Open311, the dispatcher's own) the staff of the case's community.
 * Street staff may always: they oversee every case and alone may close one as unsolvable.
 */
export function mayVerify(actor: Actor, c: Case): boolean {
  if (isStreetStaff(actor)) return true;
  if (c.source === 'grid') return c.reporter.userId !== undefined && actor.userId === c.reporter.userId && hasRole(actor, 'grid', 'reporter');
  return hasRole(actor, 'grid') && c.communityId !== undefined && actor.communityId === c.communityId;
}

/** What someone who may not verify this case is told. */
export function notVerifierReason(c: Case): string {
  return c.source === 'grid' ? '只有上报该问题的网格员或街道可以核实' : '只有本社区工作人员或街道可以核实';
}

/** 核实结项: the reporter on site (or the community, or the street) checks the lead department's result. */
export function verify(c: Case, input: VerifyInput, ctx: CommandContext): CommandResult {
  if (!mayVerify(ctx.actor, c)) return refuse('not_allowed', notVerifierReason(c));
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
