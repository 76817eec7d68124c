import type { UserDoc } from '../../../store/models/org';
import type { CardActionEvent } from '../events';
import type { ConversationDeps } from './deps';
import { settledCardFor } from './draftCardFor';
import type { SubmitOutcome } from './ports';
import type { Replier } from './reply';
import { replies } from './replies';
import { outcomeNote, submissionOf } from './submission';
import { summariseDraft } from './summarise';
import { reporterCorrection } from '../../../commands/parserExamples';
import { withSecondOpinion } from '../../../commands/secondOpinion';
import type { Case } from '../../../src/cases';

export const STALE_LABEL = '已失效，请重新发送';

export function confirmedLabel(caseNumber: string): string {
  return `已上报 ${caseNumber}`;
}

/**
 * 确认上报: the draft is claimed atomically, so of two taps (or a retried callback) only one creates
 * a case; the others see `busy` or `confirmed` and only update the card.
 */
export async function confirmDraft(deps: ConversationDeps, reply: Replier, reporter: UserDoc, event: CardActionEvent, draftId: string): Promise<void> {
  const claim = await deps.drafts.claim(reporter._id, draftId, event.dedupeKey);
  if (claim.kind === 'stale') return reply.disableCard(event.responseCode, STALE_LABEL);
  if (claim.kind === 'busy') return reply.text(replies.submitting, 'busy');
  if (claim.kind === 'confirmed') return reply.disableCard(event.responseCode, confirmedLabel(claim.caseNumber));

  const { draft } = claim;
  if (claim.resumed) deps.logger.warn({ draftId: draft.id, userId: reporter._id }, 'resuming a confirmation its process did not finish');
  let outcome: SubmitOutcome;
  let stored: Case | undefined;
  let summary = summariseDraft(draft, deps.parse);
  // The draft is finished the moment its case is stored, so a retried tap names that case instead of making a second one.
  const onCreated = async (created: Case): Promise<void> => {
    stored = created;
    await deps.drafts.finish(reporter._id, draft.id, created.number);
  };
  try {
    // In the worker, after the callback was acknowledged: an LLM's answer may take seconds.
    const opinion = draft.category === undefined ? await withSecondOpinion(summary, deps.secondOpinion, deps.routing.confidenceThreshold) : summary;
    if (opinion.category !== summary.category) summary = { ...opinion, departments: [] };
    // Keyed by the draft: a confirmation resumed after its worker died finds the case it stored, never files a second.
    outcome = await deps.desk.submitReport({ ...submissionOf(reporter, summary), key: `wecom-draft:${reporter._id}:${draft.id}` }, { onCreated });
  } catch (error) {
    if (stored) {
      deps.logger.error({ err: error, draftId: draft.id, userId: reporter._id, caseNumber: stored.number }, 'the case is stored but a step after it failed; the reporter is told it is filed');
      const label = confirmedLabel(stored.number);
      await reply.updateCard(event.responseCode, settledCardFor(deps, reporter, draft, event.taskId, label, replies.filedPending), label);
      return;
    }
    await deps.drafts.release(reporter._id, draft.id);
    deps.logger.error({ err: error, draftId: draft.id, userId: reporter._id }, 'creating a case from a confirmed draft failed');
    await reply.text(replies.submitFailed, 'submit-failed');
    return;
  }
  if (draft.category !== undefined) await keepCorrection(deps, outcome.case, summary.parserCategory);
  deps.logger.info({ draftId: draft.id, caseNumber: outcome.case.number, outcome: outcome.outcome }, 'draft confirmed');
  const card = settledCardFor(deps, reporter, draft, event.taskId, confirmedLabel(outcome.case.number), outcomeNote(outcome));
  await reply.updateCard(event.responseCode, card, confirmedLabel(outcome.case.number));
}

/** 修改类别 before submitting: the chosen category is a labelled example for the parser. */
async function keepCorrection(deps: ConversationDeps, c: Case, parserCategory: string): Promise<void> {
  const correction = reporterCorrection(c, parserCategory, deps.clock());
  if (!correction || !deps.learning) return;
  try {
    await deps.learning.recordExample(...correction);
  } catch (error) {
    // The case is made; losing one training example must not fail the report.
    deps.logger.warn({ err: error, caseId: c.id }, 'keeping the category correction as a parser example failed');
  }
}
