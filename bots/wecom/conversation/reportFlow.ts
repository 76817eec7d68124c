import type { UserDoc } from '../../../store/models/org';
import type { ConversationDeps } from './deps';
import type { Draft, DraftPiece } from './draft';
import { confirmationCard } from './draftCards';
import { confirmationCardFor, draftCardInput, newCardTaskId } from './draftCardFor';
import type { DraftChoice } from './draftStore';
import type { Replier } from './reply';
import { replies } from './replies';
import { summariseDraft } from './summarise';

/**
 * A grid member's message joins their draft; then we either wait quietly, ask one short
 * question (no description yet, or no place at all), or show the confirmation card.
 */
export async function addReportPiece(deps: ConversationDeps, reply: Replier, reporter: UserDoc, piece: DraftPiece, messageKey: string): Promise<void> {
  const park = piece.kind === 'text' ? await draftToSetAside(deps, reporter, piece.text) : undefined;
  const draft = await deps.drafts.append(reporter._id, piece, messageKey, park);
  await respondToDraft(deps, reply, reporter, draft, piece);
}

/**
 * A grid member on patrol reports one problem after another. When a card is already waiting
 * and the new text is a whole report by itself (a problem and a place), it starts a new draft;
 * the waiting one is parked, and its card can still be confirmed.
 */
async function draftToSetAside(deps: ConversationDeps, reporter: UserDoc, text: string): Promise<string | undefined> {
  const waiting = await draftWithCard(deps, reporter);
  if (!waiting) return undefined;
  const alone = deps.parse({ text });
  return alone.location !== null && alone.category !== 'other' ? waiting.id : undefined;
}

/** The current draft when it is complete, i.e. its confirmation card is out and waiting. */
async function draftWithCard(deps: ConversationDeps, reporter: UserDoc): Promise<Draft | undefined> {
  const current = await deps.drafts.current(reporter._id);
  return current?.state === 'gathering' && summariseDraft(current, deps.parse).missing === undefined ? current : undefined;
}

async function respondToDraft(deps: ConversationDeps, reply: Replier, reporter: UserDoc, draft: Draft, piece: DraftPiece): Promise<void> {
  const summary = summariseDraft(draft, deps.parse);
  if (summary.missing === 'text') {
    // Only the draft's first piece prompts; a burst of photos gets one answer.
    if (draft.pieces.length === 1) await reply.text(askForText(piece), 'ask-text');
    return;
  }
  if (summary.missing === 'place') {
    if (draft.awaitingPlace) return;
    await deps.drafts.set(reporter._id, draft.id, { field: 'awaitingPlace', value: '1' });
    await reply.text(replies.askPlace, 'ask-place');
    return;
  }
  await reply.card(confirmationCard(draftCardInput(deps, reporter, draft, summary, newCardTaskId(draft))));
}

function askForText(first: DraftPiece): string {
  if (first.kind === 'location') return replies.askTextAfterPin;
  if (first.kind === 'media' && first.media.kind !== 'image') return replies.askTextAfterRecording;
  return replies.askTextAfterPhoto;
}

/** A typed correction of the waiting card (`改成井盖问题`); false when there is no card to correct. */
export async function correctByText(deps: ConversationDeps, reply: Replier, reporter: UserDoc, choice: DraftChoice, messageKey: string): Promise<boolean> {
  const waiting = await draftWithCard(deps, reporter);
  if (!waiting) return false;
  const draft = await deps.drafts.set(reporter._id, waiting.id, choice);
  if (!draft) return false;
  await reply.card(confirmationCardFor(deps, reporter, draft, newCardTaskId(draft, messageKey)), 'corrected-card');
  return true;
}
