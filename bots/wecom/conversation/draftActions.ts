import { isCategoryCode, URGENCIES } from '../../../src/taxonomy';
import type { UserDoc } from '../../../store/models/org';
import type { CardActionEvent } from '../events';
import { CATEGORY_QUESTION, URGENCY_QUESTION, parseDraftActionKey } from './actionKey';
import { STALE_LABEL, confirmDraft, confirmedLabel } from './confirmDraft';
import type { ConversationDeps } from './deps';
import type { Draft } from './draft';
import { confirmationCardFor } from './draftCardFor';
import { categoryChooser, urgencyChooser } from './draftCards';
import type { DraftChoice } from './draftStore';
import { Replier } from './reply';
import { replies } from './replies';
import { summariseDraft } from './summarise';

/** A tap on a draft card (`draft:<id>:<action>`), from the grid member who owns the draft. */
export async function handleDraftAction(deps: ConversationDeps, event: CardActionEvent): Promise<void> {
  const parsed = parseDraftActionKey(event.eventKey);
  if (!parsed) return;
  const reply = new Replier(deps.outbound, event.fromUser, event.dedupeKey);
  const reporter = await deps.org.user(event.fromUser);
  if (!reporter) return reply.text(replies.unknownSender);
  const { draftId, action } = parsed;
  switch (action) {
    case 'confirm':
      return confirmDraft(deps, reply, reporter, event, draftId);
    case 'cancel':
      return cancelFromCard(deps, reply, reporter, event, draftId);
    case 'category':
    case 'urgency':
      return showChooser(deps, reply, reporter, event, draftId, action);
    case 'pick-category':
    case 'pick-urgency':
      return applyChoice(deps, reply, reporter, event, draftId, choiceFrom(event, action));
  }
}

async function cancelFromCard(deps: ConversationDeps, reply: Replier, reporter: UserDoc, event: CardActionEvent, draftId: string): Promise<void> {
  const result = await deps.drafts.cancel(reporter._id, draftId);
  if (result === 'cancelled') return reply.disableCard(event.responseCode, '已取消');
  if (result === 'confirming') return reply.text(replies.submitting, 'busy');
  return answerStale(deps, reply, event, draftId);
}

async function showChooser(deps: ConversationDeps, reply: Replier, reporter: UserDoc, event: CardActionEvent, draftId: string, what: 'category' | 'urgency'): Promise<void> {
  const draft = await gatheringDraft(deps, reporter, draftId);
  if (!draft) return answerStale(deps, reply, event, draftId);
  const summary = summariseDraft(draft, deps.parse);
  const card =
    what === 'category'
      ? categoryChooser(draft.id, event.taskId, summary.category, [...summary.alternatives, ...deps.config.categoryChoices])
      : urgencyChooser(draft.id, event.taskId, summary.urgency);
  await reply.updateCard(event.responseCode, card);
}

async function applyChoice(deps: ConversationDeps, reply: Replier, reporter: UserDoc, event: CardActionEvent, draftId: string, choice: DraftChoice | undefined): Promise<void> {
  const draft = choice === undefined ? await gatheringDraft(deps, reporter, draftId) : await deps.drafts.set(reporter._id, draftId, choice);
  if (!draft) return answerStale(deps, reply, event, draftId);
  await reply.updateCard(event.responseCode, confirmationCardFor(deps, reporter, draft, event.taskId));
}

function choiceFrom(event: CardActionEvent, action: 'pick-category' | 'pick-urgency'): DraftChoice | undefined {
  const question = action === 'pick-category' ? CATEGORY_QUESTION : URGENCY_QUESTION;
  const picked = event.selectedItems.find((s) => s.questionKey === question)?.optionIds[0];
  if (picked === undefined) return undefined;
  if (action === 'pick-category') return isCategoryCode(picked) ? { field: 'category', value: picked } : undefined;
  const urgency = URGENCIES.find((u) => u === picked);
  return urgency === undefined ? undefined : { field: 'urgency', value: urgency };
}

async function gatheringDraft(deps: ConversationDeps, reporter: UserDoc, draftId: string): Promise<Draft | undefined> {
  const draft = await deps.drafts.find(reporter._id, draftId);
  return draft?.state === 'gathering' ? draft : undefined;
}

/** The card belongs to a draft that expired, was cancelled or became a case: say which, create nothing. */
async function answerStale(deps: ConversationDeps, reply: Replier, event: CardActionEvent, draftId: string): Promise<void> {
  const caseNumber = await deps.drafts.confirmedCase(draftId);
  await reply.disableCard(event.responseCode, caseNumber === undefined ? STALE_LABEL : confirmedLabel(caseNumber));
}
