import type { Urgency } from '../taxonomy';

export interface GeoPoint {
  latitude: number;
  longitude: number;
  label?: string;
}

export interface ParseInput {
  text: string;
  location?: GeoPoint;
  imageCount?: number;
}

/** Which words decided each field (as found in the normalised text). */
export interface Evidence {
  category: string[];
  urgency: string[];
  location: string[];
  departments: string[];
}

export interface ProblemMention {
  category: string;
  score: number;
  words: string[];
}

/** Whether a department here is asked to fix something; when not, why (for the dispatcher). */
export interface Actionability {
  actionable: boolean;
  /** The kind of matter another body owns (school, pension, planning…), when recognised. */
  matter: string | null;
  reason: string | null;
}

/** What the learned model said (absent when the rules decide alone). */
export interface ModelOpinion {
  version: string;
  /** The tipdm data set's coarse label the coarse-answer model gives (城乡建设, 教育文体, …; src/parser/coarse.ts). */
  coarseLabel: string;
  coarseProbability: number;
  /** Every coarse label's probability. */
  coarse: Record<string, number>;
  /** The fine model's probability that no department here owns the message. */
  otherProbability: number;
}

export interface ParsedReport {
  /** Normalised text the rules read: half-width, simplified, chat noise removed. */
  normalizedText: string;
  category: string;
  urgency: Urgency;
  /** The place as written (in normalised form), or null when the text names none. */
  location: string | null;
  /** The location event sent with the message, if any. */
  geo: GeoPoint | null;
  departments: string[];
  confidence: number;
  evidence: Evidence;
  phones: string[];
  plates: string[];
  /** Every problem the message names, main first (the main one decided `category`). */
  problems: ProblemMention[];
  isLikelyReport: boolean;
  imageCount: number;
  actionability: Actionability;
  model: ModelOpinion | null;
  /** For a long letter: the sentence that asks for something (请…, 希望…, 要求…), else null. */
  request: string | null;
}
