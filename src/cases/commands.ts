import { accept } from './accept';
import { decideExtension, requestExtension, type ExtensionDecisionInput } from './extensions';
import { feedback, type FeedbackInput } from './feedback';
import { absorbDuplicate, cancel, escalateToStreet, merge, type AbsorbInput, type MergeInput, type ReasonInput } from './lifecycle';
import { rate, rateDepartment, rateWhistle, type RateDepartmentInput, type RateInput, type RateWhistleInput } from './ratings';
import { returnCase, type ReturnInput } from './returnCase';
import { refuse } from './transition';
import type { Case, CommandContext, CommandResult } from './types';
import { verify, type VerifyInput } from './verify';
import { reassign, whistle, type WhistleInput } from './whistle';
import { escalateToDistrict, markHardCase, releaseReporter, resolveHardCase, type SupervisionInput } from './supervision';

/** Serialisable form of every command, so adapters and queued jobs can carry one. */
export type CaseCommand =
  | ({ type: 'whistle' } & WhistleInput)
  | { type: 'accept' }
  | ({ type: 'return' } & ReturnInput)
  | ({ type: 'feedback' } & FeedbackInput)
  | ({ type: 'verify' } & VerifyInput)
  | ({ type: 'rate' } & RateInput)
  | ({ type: 'rateWhistle' } & RateWhistleInput)
  | ({ type: 'rateDepartment' } & RateDepartmentInput)
  | { type: 'requestExtension'; reason: string; requestedDueAt: Date }
  | ({ type: 'decideExtension' } & ExtensionDecisionInput)
  | ({ type: 'escalateToStreet' } & ReasonInput)
  | ({ type: 'merge' } & MergeInput)
  | ({ type: 'absorbDuplicate' } & AbsorbInput)
  | ({ type: 'cancel' } & ReasonInput)
  | ({ type: 'reassign' } & WhistleInput)
  | ({ type: 'markHardCase' } & SupervisionInput)
  | ({ type: 'resolveHardCase' } & SupervisionInput)
  | ({ type: 'releaseReporter' } & SupervisionInput)
  | ({ type: 'escalateToDistrict' } & SupervisionInput);

function dispatch(c: Case, command: CaseCommand, ctx: CommandContext): CommandResult {
  switch (command.type) {
    case 'whistle': return whistle(c, command, ctx);
    case 'accept': return accept(c, ctx);
    case 'return': return returnCase(c, command, ctx);
    case 'feedback': return feedback(c, command, ctx);
    case 'verify': return verify(c, command, ctx);
    case 'rate': return rate(c, command, ctx);
    case 'rateWhistle': return rateWhistle(c, command, ctx);
    case 'rateDepartment': return rateDepartment(c, command, ctx);
    case 'requestExtension': return requestExtension(c, command, ctx);
    case 'decideExtension': return decideExtension(c, command, ctx);
    case 'escalateToStreet': return escalateToStreet(c, command, ctx);
    case 'merge': return merge(c, command, ctx);
    case 'absorbDuplicate': return absorbDuplicate(c, command, ctx);
    case 'cancel': return cancel(c, command, ctx);
    case 'reassign': return reassign(c, command, ctx);
    case 'markHardCase': return markHardCase(c, command, ctx);
    case 'resolveHardCase': return resolveHardCase(c, command, ctx);
    case 'releaseReporter': return releaseReporter(c, command, ctx);
    case 'escalateToDistrict': return escalateToDistrict(c, command, ctx);
  }
}

export function wasApplied(c: Case, commandId: string): boolean {
  return c.timeline.some((e) => e.commandId === commandId);
}

/** Applies a command; a command id already in the timeline (a replayed callback) is refused. */
export function applyCommand(c: Case, command: CaseCommand, ctx: CommandContext): CommandResult {
  if (ctx.commandId !== undefined && wasApplied(c, ctx.commandId)) return refuse('already_applied', '该操作已经处理过了');
  return dispatch(c, command, ctx);
}
