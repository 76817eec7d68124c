import type { MediaRef } from '../../../src/cases';
import type { Urgency } from '../../../src/taxonomy';

/** One message that became part of a draft. `at` is milliseconds since the epoch. */
export type DraftPiece =
  | { kind: 'text'; text: string; at: number }
  | { kind: 'media'; media: MediaRef; at: number }
  | { kind: 'location'; label: string; lat: number; lng: number; at: number }
  /** A department's `2026-000123 已处理完毕…`, held until photos sent just after it have arrived. */
  | { kind: 'feedback'; number: string; text: string; at: number };

/**
 * `gathering` takes pieces and card taps; `confirming` is the short moment a case is being
 * created (a second tap then creates nothing); `confirmed` remembers the case for repeated taps.
 */
export type DraftState = 'gathering' | 'confirming' | 'confirmed';

export interface Draft {
  id: string;
  state: DraftState;
  startedAt: number;
  lastPieceAt: number;
  pieces: DraftPiece[];
  /** We asked for the place and wait for the answer. */
  awaitingPlace: boolean;
  /** The text that answered our question about the place. */
  placeAnswer?: string;
  /** Corrections chosen on the card; they win over the parser. */
  category?: string;
  urgency?: Urgency;
  caseNumber?: string;
}

export function draftMedia(draft: Draft): MediaRef[] {
  return draft.pieces.flatMap((p) => (p.kind === 'media' ? [p.media] : []));
}

export function draftTexts(draft: Draft): string[] {
  return draft.pieces.flatMap((p) => (p.kind === 'text' ? [p.text] : []));
}

export function draftLocation(draft: Draft): Extract<DraftPiece, { kind: 'location' }> | undefined {
  return draft.pieces.filter((p): p is Extract<DraftPiece, { kind: 'location' }> => p.kind === 'location').at(-1);
}

export function draftFeedback(draft: Draft): Extract<DraftPiece, { kind: 'feedback' }>[] {
  return draft.pieces.filter((p): p is Extract<DraftPiece, { kind: 'feedback' }> => p.kind === 'feedback');
}
