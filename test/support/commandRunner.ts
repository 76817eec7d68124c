import { caseStoreFrom } from '../../commands/caseStore';
import { lifecycleConfig } from '../../commands/config';
import type { Connection } from 'mongoose';
import type { LifecycleDeps } from '../../commands/deps';
import { runCaseCommand } from '../../commands/runCaseCommand';
import type { CaseCommand, CommandContext, CommandResult } from '../../src/cases';
import { CaseRepository } from '../../store/caseRepository';
import { OrgRepository } from '../../store/orgRepository';
import { connectMongo } from '../../store/connection';
import { testMongoUri } from './isolation';

/**
 * The production command runner (`commands/runCaseCommand`) over a repository, with no side effects:
 * for store tests that care about what is saved, not about cards or timers. Pass the test's
 * `repository` when its own writes run alongside the commands: one store, one set of write queues.
 */
export function lifecycleOver(connection: Connection, options: { districtId?: string; maxConflictRetries?: number; staleClaimMs?: number; repository?: CaseRepository } = {}): LifecycleDeps {
  const repository = options.repository ?? new CaseRepository(connection, options.staleClaimMs === undefined ? {} : { staleClaimMs: options.staleClaimMs });
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

export interface RepositoryUnderTest {
  connection: Connection;
  repo: CaseRepository;
  run: ReturnType<typeof commandRunner>;
}

/**
 * A test file's own database with a case repository (indexes built) and the command runner over
 * it, opened before its tests and dropped after them. Read the fields inside tests (set in `beforeAll`).
 */
export function repositoryUnderTest(database: string): RepositoryUnderTest {
  const under = {} as RepositoryUnderTest;
  beforeAll(async () => {
    under.connection = await connectMongo(testMongoUri(database));
    under.repo = new CaseRepository(under.connection);
    await under.repo.ensureIndexes();
    under.run = commandRunner(under.connection, { repository: under.repo });
  });
  afterAll(async () => {
    await under.connection.dropDatabase();
    await under.connection.close();
  });
  return under;
}
