import { createHash } from 'node:crypto';
import type { UserDoc } from '../../../store/models/org';
import type { ConversationDeps } from './deps';
import type { Draft } from './draft';
import { confirmationCard, settledCard, type DraftCardInput } from './draftCards';
import { decidedDepartments } from '../../../src/routing';
import { previewNote, previewRouting } from './routingPreview';
import { summariseDraft, type DraftSummary } from './summarise';

/** Everything a confirmation card of this draft shows. */
export function draftCardInput(deps: ConversationDeps, reporter: UserDoc, draft: Draft, summary: DraftSummary, taskId: string): DraftCardInput {
  const decision = previewRouting(summary, reporter.streetId ?? '', deps.routing);
  return {
    draftId: draft.id,
    taskId,
    summary,
    previewChars: deps.config.textPreviewChars,
    departments: decidedDepartments(decision),
    whistles: decision.kind === 'whistle',
    note: previewNote(decision),
  };
}

/**
 * Task id of a new card for the draft: unique per app (one card per piece, one per typed
 * correction), the same when a retried event builds it again.
 */
export function newCardTaskId(draft: Draft, correctionKey?: string): string {
  const suffix = correctionKey === undefined ? String(draft.pieces.length) : `fix${createHash('sha256').update(correctionKey).digest('hex').slice(0, 12)}`;
  return `draft_${draft.id}_${suffix}`;
}

export function confirmationCardFor(deps: ConversationDeps, reporter: UserDoc, draft: Draft, taskId: string) {
  return confirmationCard(draftCardInput(deps, reporter, draft, summariseDraft(draft, deps.parse), taskId));
}

export function settledCardFor(deps: ConversationDeps, reporter: UserDoc, draft: Draft, taskId: string, title: string, note: string) {
  return settledCard({ ...draftCardInput(deps, reporter, draft, summariseDraft(draft, deps.parse), taskId), title, note });
}
