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

/** One case by number, within the sender's district. */
export async function answerCaseQuery(deps: ConversationDeps, reply: Replier, user: UserDoc, number: string): Promise<void> {
  const found = await deps.desk.caseByNumber(number, user.districtId);
  await reply.text(found ? caseSummaryText(found, user._id, deps.mask) : replies.caseNotFound(number), 'case');
}
