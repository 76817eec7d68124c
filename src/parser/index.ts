import { createParser } from './parse';
import type { ParseInput, ParsedReport } from './types';

export { createParser, type Parser } from './parse';
export { maskSensitive, maskPhone, maskPlate, findSensitive, type SensitiveSpan } from './contacts';
export { toHalfWidth, toSimplifiedChinese } from './normalize';
export { defaultVocab, parseVocab, type ParserVocab } from './vocab';
export type { ParseInput, ParsedReport, Evidence, GeoPoint, ProblemMention } from './types';

const defaultParser = createParser();

/** Parses one chat message with the district's vocabulary in config/parser/. */
export function parseReport(input: ParseInput): ParsedReport {
  return defaultParser.parseReport(input);
}

/** Half-width, simplified, typos fixed, chat noise removed. */
export function normalizeReportText(text: string): string {
  return defaultParser.normalize(text);
}

/** False for chatter (你好, 谢谢, 收到) and for text naming no problem and no place. */
export function isLikelyReport(text: string): boolean {
  return defaultParser.isLikelyReport(text);
}

export function isGreeting(text: string): boolean {
  return defaultParser.isGreeting(text);
}
