import { category as categoryInfo, taxonomy } from '../../taxonomy';
import type { ParserModelData } from './model';
import { trainParserModel, type LabelledText } from './pipeline';
import type { RulesVerdict } from './combine';

/** A correction as the store keeps it (commands/parserExamples.ts). */
export interface StreetExample {
  /** reporter_correction (修改类别), triage (the dispatcher's pick), return (退回: not ours), reassignment. */
  kind: string;
  text: string;
  /** What the parser said when the case was made. */
  parsedCategory?: string;
  /** The category a person chose (修改类别). */
  category?: string;
  /** The lead department a person chose (triage, reassignment). */
  department?: string;
  /** A department that said the case is not theirs (退回). */
  rejectedDepartment?: string;
}

const COMMUNITY = 'shequ';

/**
 * The category a correction teaches: the reporter's chosen category; for a dispatcher's pick of a lead
 * department, the parser's category when that department leads it, else the category that department
 * leads which the current parser ranks highest (`other` for the community). A return alone teaches no
 * category (the reassignment after it does).
 */
export function categoryTaught(example: StreetExample, ranked: (text: string) => readonly string[]): string | null {
  if (example.kind === 'reporter_correction') return example.category ?? null;
  const dept = example.department;
  if (!dept) return null;
  if (dept === COMMUNITY) return 'other';
  if (example.parsedCategory && categoryInfo(example.parsedCategory).lead === dept) return example.parsedCategory;
  const led = taxonomy.categories.filter((c) => c.lead === dept).map((c) => c.code);
  if (led.length === 0) return null;
  return ranked(example.text).find((c) => led.includes(c)) ?? led[0] ?? null;
}

export interface RetrainInput {
  current: ParserModelData;
  /** The rows the base model was trained on (normalised). */
  baseRows: readonly LabelledText[];
  examples: readonly StreetExample[];
  normalize: (text: string) => string;
  rules: (text: string) => RulesVerdict;
  /** The category the full parser gives a text with a model (to score the current and the new one alike). */
  categoryWith: (model: ParserModelData) => (text: string) => string;
  ranked: (text: string) => readonly string[];
  /** Every n-th labelled correction (by text) is held back to check the new model. */
  heldBackEvery?: number;
  /** How much more a street correction counts than a base row. */
  correctionWeight?: number;
  labels: readonly string[];
  version: string;
  now: Date;
  folds?: number;
  log?: (line: string) => void;
}

export interface RetrainResult {
  accepted: boolean;
  reason: string;
  model: ParserModelData | null;
  heldBack: number;
  trainedOn: number;
  currentScore: number;
  newScore: number;
}

function textHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) >>> 0;
  return h;
}

/**
 * Retrains a district's model from its street corrections and checks it on corrections it was not
 * trained on: a model that scores worse there than the current one is refused.
 */
export function retrainDistrictModel(input: RetrainInput): RetrainResult {
  const every = input.heldBackEvery ?? 5;
  const labelled: LabelledText[] = [];
  for (const example of input.examples) {
    const label = categoryTaught(example, input.ranked);
    if (label) labelled.push({ text: input.normalize(example.text), category: label, weight: input.correctionWeight ?? 3, group: 'street' });
  }
  const heldBack = labelled.filter((r) => textHash(r.text) % every === 0);
  const training = labelled.filter((r) => textHash(r.text) % every !== 0);
  const empty = { model: null, heldBack: heldBack.length, trainedOn: training.length, currentScore: 0, newScore: 0 };
  if (heldBack.length === 0 || training.length === 0) {
    return { ...empty, accepted: false, reason: `too few corrections to train and check a model (${labelled.length} labelled; need some to train on and some held back)` };
  }
  const score = (model: ParserModelData): number => {
    const categoryOf = input.categoryWith(model);
    return heldBack.filter((r) => categoryOf(r.text) === r.category).length / heldBack.length;
  };
  const currentScore = score(input.current);
  const trained = trainParserModel({
    coarse: input.current.coarse,
    fineRows: [...input.baseRows, ...training],
    rules: input.rules,
    labels: input.labels,
    version: input.version,
    now: input.now,
    ...(input.folds !== undefined && { folds: input.folds }),
    ...(input.log && { log: input.log }),
  });
  // The data set's coarse labels are no district's business: they are answered as the current model does.
  const model = input.current.coarseAnswer ? { ...trained, coarseAnswer: input.current.coarseAnswer } : trained;
  const newScore = score(model);
  const result = { model, heldBack: heldBack.length, trainedOn: training.length, currentScore, newScore };
  if (newScore < currentScore) {
    return { ...result, model: null, accepted: false, reason: `the retrained model scores ${newScore.toFixed(3)} on ${heldBack.length} held-back corrections, worse than the current model's ${currentScore.toFixed(3)}` };
  }
  return { ...result, accepted: true, reason: `held-back corrections: ${newScore.toFixed(3)} (current model ${currentScore.toFixed(3)})` };
}
