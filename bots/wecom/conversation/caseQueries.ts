import type { CaseReader } from '../../../src/cases';
import type { UserDoc } from '../../../store/models/org';
import { caseSummaryText, myReportsText } from './caseView';
import type { ConversationDeps } from './deps';
import type { Replier } from './reply';
import { replies } from './replies';

/** 我的上报: the sender's latest cases with numbers and states. */
export async function answerMyReports(deps: ConversationDeps, reply: Replier, user: UserDoc): Promise<void> {
  const cases = await deps.desk.casesReportedBy(user._id, deps.config.myReportsLimit);
  await reply.text(cases.length === 0 ? replies.noReports : myReportsText(cases), 'my-reports');
}

/** The sender as a reader of cases. */
export function readerOf(user: UserDoc): CaseReader {
  return {
    userId: user._id,
    districtId: user.districtId,
    roles: user.roles,
    ...(user.deptCode !== undefined && { deptCode: user.deptCode }),
    ...(user.streetId !== undefined && { streetId: user.streetId }),
    ...(user.communityId !== undefined && { communityId: user.communityId }),
  };
}

/** One case by number, for those who may read it (README, "Who may see and do what"); others are refused and logged. */
export async function answerCaseQuery(deps: ConversationDeps, reply: Replier, user: UserDoc, number: string): Promise<void> {
  const reading = await deps.desk.readCase(number, readerOf(user));
  if (reading.kind === 'not_found') return reply.text(replies.caseNotFound(number), 'case');
  if (reading.kind === 'refused') {
    deps.logger.info({ userId: user._id, number }, 'case query refused: not a reader of this case');
    return reply.text(replies.caseNotReadable(number), 'case');
  }
  await reply.text(caseSummaryText(reading.case, reading.access, deps.mask), 'case');
}
