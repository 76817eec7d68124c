import type { MediaRef } from '../../../src/cases';
import { isCategoryCode, type Urgency } from '../../../src/taxonomy';
import { draftLocation, draftMedia, draftTexts, type Draft } from './draft';
import type { ReportParser } from './ports';

/** What we understood from a draft so far, with the grid member's corrections applied. */
export interface DraftSummary {
  text: string;
  category: string;
  /** What the parser said before any correction (to keep a 修改类别 as a labelled example). */
  parserCategory: string;
  urgency: Urgency;
  location: string | null;
  /** The parser's extra departments (routing adds the category's lead). */
  departments: string[];
  confidence: number;
  media: MediaRef[];
  /** Categories the parser also saw, main first. */
  alternatives: string[];
  lat?: number;
  lng?: number;
  /** What we must still ask for before showing the card. */
  missing: 'text' | 'place' | undefined;
}

/** Reads the draft's texts with the parser; the place comes from the text, our question's answer or the pin. */
export function summariseDraft(draft: Draft, parse: ReportParser): DraftSummary {
  const text = draftTexts(draft).join('\n');
  const pin = draftLocation(draft);
  const media = draftMedia(draft);
  const parsed = parse({
    text,
    imageCount: media.filter((m) => m.kind === 'image').length,
    ...(pin && { location: { latitude: pin.lat, longitude: pin.lng, label: pin.label } }),
  });
  const location = parsed.location ?? nonEmpty(draft.placeAnswer) ?? nonEmpty(pin?.label) ?? null;
  const corrected = draft.category !== undefined && isCategoryCode(draft.category) ? draft.category : undefined;
  const summary: DraftSummary = {
    text,
    category: corrected ?? parsed.category,
    parserCategory: parsed.category,
    urgency: draft.urgency ?? parsed.urgency,
    location,
    // A chosen category is certain; the parser's departments belonged to its own reading.
    departments: corrected === undefined ? parsed.departments : [],
    confidence: corrected === undefined ? parsed.confidence : 1,
    media,
    alternatives: parsed.problems.map((p) => p.category),
    missing: text.trim() === '' ? 'text' : location === null && pin === undefined ? 'place' : undefined,
  };
  if (pin) {
    summary.lat = pin.lat;
    summary.lng = pin.lng;
  }
  return summary;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
