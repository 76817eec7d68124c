import { reporterActor } from '../../commands/actors';
import type { LifecycleDeps } from '../../commands/deps';
import { runCaseCommand } from '../../commands/runCaseCommand';
import { submitReport, type ReportSubmission } from '../../commands/submitReport';
import type { Case, CommandResult, RateInput } from '../../src/cases';

/** What the mini-program needs from the case lifecycle; the rest of the lifecycle stays out of view. */
export interface ResidentCaseGateway {
  submit(submission: ReportSubmission): Promise<Case>;
  findById(id: string): Promise<Case | null>;
  rate(caseId: string, openid: string, input: RateInput, commandId: string): Promise<CommandResult>;
}

export function lifecycleGateway(deps: LifecycleDeps): ResidentCaseGateway {
  return {
    submit: async (submission) => (await submitReport(deps, submission)).case,
    findById: (id) => deps.cases.findById(id),
    rate: (caseId, openid, input, commandId) =>
      runCaseCommand(deps, { id: caseId }, { type: 'rate', ...input }, { actor: reporterActor(openid), channel: 'mp', now: deps.clock(), commandId }),
  };
}
