import { CategoryScorer, OTHER } from './category';
import { ChatterDetector } from './chatter';
import { findSensitive } from './contacts';
import { DepartmentResolver } from './departments';
import { LocationExtractor } from './location';
import { buildTypoFixer, normalizeText } from './normalize';
import type { ParseInput, ParsedReport } from './types';
import { BigramClassifier } from './fallback';
import { UrgencyClassifier } from './urgency';
import { ActionabilityExplainer } from './actionability';
import { findRequest } from './request';
import { wordBoundaries, type Segmenter } from './segmenter';
import { defaultVocab, type ParserVocab } from './vocab';
import { LearnedClassifier, type ParserModelData } from './learned/model';

const MIN_CATEGORY_SCORE = 3;
/** A licence plate in a report is nearly always about a parked or abandoned car. */
const PLATE_CATEGORY = 'parking';
const PLATE_WEIGHT = 3;
/** The bigram model speaks only when it clearly prefers one category (natural-log lead). */
const FALLBACK_MARGIN = 1;
const FALLBACK_CONFIDENCE = 0.35;
/** Below this many Chinese characters the model has too little to read: the rules decide alone. */
const MODEL_MIN_CHARS = 6;

export interface Parser {
  /** Version of the learned model in use, or null when the rules decide alone. */
  readonly modelVersion: string | null;
  parseReport(input: ParseInput): ParsedReport;
  normalize(text: string): string;
  isLikelyReport(text: string): boolean;
  isGreeting(text: string): boolean;
}

/**
 * Builds a parser from vocabulary tables (the default is config/parser/*.json) and, optionally, a learned
 * model (config/parser/model.json, or a district's retrained one) that is weighed together with the rules.
 */
export function createParser(
  vocab: ParserVocab = defaultVocab,
  model?: ParserModelData | LearnedClassifier,
  segment?: Segmenter,
): Parser {
  const learned = model === undefined ? null : model instanceof LearnedClassifier ? model : new LearnedClassifier(model, segment);
  const fixTypos = buildTypoFixer(vocab.typos);
  const categories = new CategoryScorer(vocab.categories);
  const urgency = new UrgencyClassifier(vocab.urgency);
  const places = new LocationExtractor(vocab.places);
  const departments = new DepartmentResolver(vocab.departments);
  const chatter = new ChatterDetector(vocab.chatter);
  const actionability = new ActionabilityExplainer(vocab.actionability);
  const normalize = (text: string): string => normalizeText(text, fixTypos);
  const fallback = new BigramClassifier(vocab.examples, normalize);

  function parseReport(input: ParseInput): ParsedReport {
    const text = normalize(input.text);
    const sensitive = findSensitive(text);
    // Digits of phones and plates would read as door and room numbers.
    const readable = blankOut(text, sensitive);
    const chat = chatter.isChatter(readable);
    const location = chat ? null : places.extract(readable);
    // Place names say nothing about the problem (建国路 is not illegal construction, 火车站 is no fire).
    const placeSpans = location ? location.nameSpans.map(([start, end]) => ({ start, end })) : [];
    const problemText = location ? blankOut(readable, placeSpans) : readable;
    // One cut of the message serves the rules' word boundaries and the learned model's word features.
    const wantsModel = learned !== null && !chat && chineseCount(text) >= MODEL_MIN_CHARS;
    const words = segment && !chat ? segment(text) : undefined;
    const urgencyResult = urgency.classify(readable);
    // Only strong cues say what the danger is about (危险 or 赶紧 could be about anything).
    const emergencyCues = urgencyResult.cues.filter((c) => c.kind === 'emergency' && c.weight >= 2);
    const plates = sensitive.filter((s) => s.kind === 'plate');
    const scored = chat
      ? null
      : categories.score(problemText, {
          cues: emergencyCues,
          denied: urgencyResult.negated,
          extra: plates.map((p) => ({ category: PLATE_CATEGORY, weight: PLATE_WEIGHT, word: p.value, start: p.start, end: p.end })),
          boundaries: words ? wordBoundaries(text, words, [...sensitive, ...placeSpans]) : null,
        });
    // Weak words alone (晚上, 黑) do not make a problem: 大家晚上好 is chatter.
    const categoryResult = scored && scored.score >= MIN_CATEGORY_SCORE ? scored : null;
    const guess = categoryResult || chat ? null : fallback.guess(problemText);
    const guessed = guess && guess.margin >= FALLBACK_MARGIN ? guess.category : null;
    const rulesCategory = categoryResult?.category ?? guessed ?? OTHER;
    const rulesConfidence = guessed
      ? FALLBACK_CONFIDENCE
      : confidenceOf(categoryResult?.score ?? 0, categoryResult?.runnerUpScore ?? 0, location !== null, chat);
    const verdict = wantsModel
      ? learned.classify(
          text,
          {
            category: rulesCategory,
            confidence: categoryResult || guessed ? rulesConfidence : 0,
            matter: actionability.opensWithMatter(text),
          },
          words,
        )
      : null;
    const category = verdict?.category ?? rulesCategory;
    const byRules = category === rulesCategory;
    const likelyReport =
      !chat &&
      (category !== OTHER ||
        location !== null ||
        urgencyResult.urgency === 'emergency' ||
        chatter.hasReportVerb(readable));
    const level = likelyReport ? urgencyResult.urgency : 'daily';
    const ruleProblems = categoryResult?.problems ?? (guessed ? [{ category: guessed, score: 0, words: [] }] : []);
    const problems = byRules ? ruleProblems : [{ category, score: 0, words: [] }, ...ruleProblems.filter((p) => p.category !== category)];
    const dept = departments.resolve(
      problemText,
      category,
      problems.slice(1).map((p) => p.category),
    );
    return {
      normalizedText: text,
      category,
      urgency: level,
      location: location?.text ?? null,
      geo: input.location ?? null,
      departments: dept.departments,
      confidence: verdict?.confidence ?? rulesConfidence,
      evidence: {
        category: [
          ...(byRules ? (categoryResult?.words ?? (guessed ? ['(similar labelled examples)'] : [])) : []),
          ...(verdict ? [`(model ${learned?.version}: ${verdict.ranked.map((r) => `${r.category} ${r.probability.toFixed(2)}`).join(', ')})`] : []),
        ],
        urgency: likelyReport ? urgencyResult.cues.map((c) => c.word) : [],
        location: location?.parts ?? [],
        departments: dept.words,
      },
      phones: sensitive.filter((s) => s.kind === 'phone').map((s) => s.value),
      plates: plates.map((s) => s.value),
      problems,
      isLikelyReport: likelyReport,
      imageCount: input.imageCount ?? 0,
      actionability: actionability.explain(readable, category),
      model:
        verdict && learned
          ? {
              version: learned.version,
              coarseLabel: verdict.coarse.label,
              coarseProbability: round2(verdict.coarse.probability),
              coarse: verdict.coarse.all,
              otherProbability: round2(verdict.otherProbability),
            }
          : null,
      request: findRequest(text),
    };
  }

  return {
    modelVersion: learned?.version ?? null,
    parseReport,
    normalize,
    isLikelyReport: (text) => parseReport({ text }).isLikelyReport,
    isGreeting: (text) => chatter.isGreeting(normalize(text)),
  };
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

function chineseCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fff) n++;
  }
  return n;
}

/** The text with each span replaced by as many spaces (offsets stay where they were). */
export function blankOut(text: string, spans: ReadonlyArray<{ start: number; end: number }>): string {
  let out = text;
  for (const span of spans) out = out.slice(0, span.start) + ' '.repeat(span.end - span.start) + out.slice(span.end);
  return out;
}

/**
 * How sure the category is: the winner's share of the top two scores, damped when the evidence is thin
 * (one weak word), nudged up when a place was found too.
 */
function confidenceOf(top: number, runnerUp: number, hasLocation: boolean, chat: boolean): number {
  if (chat) return 0.95;
  if (top === 0) return hasLocation ? 0.3 : 0.15;
  const share = top / (top + runnerUp);
  const strength = Math.min(1, top / 5);
  const value = 0.15 + 0.75 * share * strength + (hasLocation ? 0.1 : 0);
  return Math.round(Math.min(1, value) * 100) / 100;
}
