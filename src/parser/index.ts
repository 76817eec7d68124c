import { createParser, type Parser } from './parse';
import { LearnedClassifier, parserModelSchema, type ParserModelData } from './learned/model';
import type { ParseInput, ParsedReport } from './types';
import { defaultVocab } from './vocab';
import { defaultSegmenter } from './segmenter';

export { createParser, type Parser } from './parse';
export { defaultSegmenter, type Segmenter } from './segmenter';
export { maskSensitive, maskPhone, maskPlate, findSensitive, type SensitiveSpan } from './contacts';
export { toHalfWidth, toSimplifiedChinese } from './normalize';
export { defaultVocab, parseVocab, type ParserVocab } from './vocab';
export type { ParseInput, ParsedReport, Evidence, GeoPoint, ProblemMention, Actionability, ModelOpinion } from './types';
export { LearnedClassifier, parserModelSchema, type ParserModelData } from './learned/model';

// The model and jieba's dictionary (segmenter.ts) load on the first parse, not on import: code that only
// masks phone numbers, and every test file that never parses, does not pay for them.
let base: ParserModelData | undefined;

/** The model trained by `npm run parser:train` and committed with the code (config/parser/model.json). */
export function baseModel(): ParserModelData {
  base ??= parserModelSchema.parse(require('../../config/parser/model.json'));
  return base;
}

const segment = defaultSegmenter;
let current: Parser | undefined;

function defaultParser(): Parser {
  current ??= createParser(defaultVocab, new LearnedClassifier(baseModel()), segment);
  return current;
}

/**
 * Swaps the model every parse uses from now on (a district's retrained one, picked up while running);
 * null goes back to the committed base model. The new model is built before the swap, so a bad one throws
 * here and the parser in use stays as it was.
 */
export function installModel(model: ParserModelData | null): string {
  const classifier = new LearnedClassifier(model ?? baseModel());
  current = createParser(defaultVocab, classifier, segment);
  return classifier.version;
}

/** Version of the model the default parser uses. */
export function activeModelVersion(): string {
  return defaultParser().modelVersion ?? 'rules-only';
}

/** Parses one chat message with the district's vocabulary in config/parser/. */
export function parseReport(input: ParseInput): ParsedReport {
  return defaultParser().parseReport(input);
}

/** Half-width, simplified, typos fixed, chat noise removed. */
export function normalizeReportText(text: string): string {
  return defaultParser().normalize(text);
}

/** False for chatter (你好, 谢谢, 收到) and for text naming no problem and no place. */
export function isLikelyReport(text: string): boolean {
  return defaultParser().isLikelyReport(text);
}

export function isGreeting(text: string): boolean {
  return defaultParser().isGreeting(text);
}
