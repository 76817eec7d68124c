import { caseStoreFrom } from '../../commands/caseStore';
import { lifecycleConfig } from '../../commands/config';
import type { Connection } from 'mongoose';
import type { LifecycleDeps } from '../../commands/deps';
import { runCaseCommand } from '../../commands/runCaseCommand';
import type { CaseCommand, CommandContext, CommandResult } from '../../src/cases';
import { CaseRepository } from '../../store/caseRepository';
import { OrgRepository } from '../../store/orgRepository';

/**
 * The production command runner (`commands/runCaseCommand`) over a repository, with no side effects:
 * for store tests that care about what is saved, not about cards or timers.
 */
export function lifecycleOver(connection: Connection, options: { districtId?: string; maxConflictRetries?: number; staleClaimMs?: number } = {}): LifecycleDeps {
  const repository = new CaseRepository(connection, options.staleClaimMs === undefined ? {} : { staleClaimMs: options.staleClaimMs });
  return {
    cases: caseStoreFrom(repository, options.districtId ?? 'd-test'),
    org: new OrgRepository(connection),
    notifier: { caseChanged: async () => undefined, duplicateMerged: async () => undefined },
    deadlines: { syncCase: async () => undefined },
    clock: () => new Date(),
    config: lifecycleConfig(options.maxConflictRetries === undefined ? {} : { maxConflictRetries: options.maxConflictRetries }),
    sideEffectFailed: ({ error }) => {
      throw error;
    },
  };
}

/** `run(caseId, command, ctx)`: one command by case id through the production runner. */
export function commandRunner(connection: Connection, options: Parameters<typeof lifecycleOver>[1] = {}): (caseId: string, command: CaseCommand, ctx: CommandContext) => Promise<CommandResult> {
  const deps = lifecycleOver(connection, options);
  return (caseId, command, ctx) => runCaseCommand(deps, { id: caseId }, command, ctx);
}
