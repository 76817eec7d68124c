import type { Actor, Case, CaseCommand, CommandResult } from '../src/cases';
import type { LifecycleDeps } from './deps';
import { runCommandOn } from './runCaseCommand';
import { NOT_FOUND } from './transact';

export interface CaseAction {
  caseId: string;
  command: CaseCommand;
  actor: Actor;
  /** Whether the actor may see this case at all; one they may not see is "not found", never "forbidden". */
  mayView: (c: Case) => boolean;
  commandId?: string;
}

/**
 * An action from the command centre: the same command, rules and refusals as a tap in chat, for a
 * case the person may see (others' cases are not found, so their existence does not leak).
 */
export async function actOnCase(deps: LifecycleDeps, action: CaseAction): Promise<CommandResult> {
  const found = await deps.cases.findById(action.caseId);
  if (!found || !action.mayView(found)) return NOT_FOUND;
  return runCommandOn(deps, found, action.command, {
    actor: action.actor,
    channel: 'console',
    now: deps.clock(),
    ...(action.commandId !== undefined && { commandId: action.commandId }),
  });
}
