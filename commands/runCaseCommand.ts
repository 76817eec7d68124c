import type { Case, CaseCommand, CommandContext, CommandResult } from '../src/cases';
import type { LifecycleDeps } from './deps';
import { mergeDuplicate } from './mergeDuplicate';
import { loadCase } from './queries';
import { NOT_FOUND, transact } from './transact';

/** `runCaseCommand` for a caller that has just read the case (a card tap): saves one read. */
export async function runCommandOn(deps: LifecycleDeps, found: Case, command: CaseCommand, ctx: CommandContext): Promise<CommandResult> {
  if (command.type === 'merge') {
    const target = await deps.cases.findById(command.targetId);
    if (!target) return NOT_FOUND;
    return mergeDuplicate(deps, found.id, target, ctx.actor, ctx.channel, ctx.commandId);
  }
  return transact(deps, () => deps.cases.findById(found.id), command, ctx, found);
}

/**
 * Runs one command on the case named by id or number: applied to the latest stored case, saved
 * with an atomic conditional update, then notified. Refusals come back with a reason to show.
 */
export async function runCaseCommand(deps: LifecycleDeps, ref: { id?: string; number?: string }, command: CaseCommand, ctx: CommandContext): Promise<CommandResult> {
  const found = await loadCase(deps, ref);
  if (!found) return NOT_FOUND;
  return runCommandOn(deps, found, command, ctx);
}
