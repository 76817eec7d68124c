import { expectedCalibrationError, fitIsotonic, applyCalibration, type Scored } from './calibration';
import { combine, type CombineParams, type RulesVerdict } from './combine';
import { LinearModel, type LinearModelData } from './linearModel';
import type { ParserModelData } from './model';
import { trainLinearModel, type TrainingRow } from './train';

export interface LabelledText {
  /** Normalised text (the parser's normalize). */
  text: string;
  category: string;
  weight?: number;
  /** Where the row comes from (real letters, grid reports): the combination is fitted to do well on each. */
  group?: string;
}

export interface PipelineInput {
  /** Rows with the data set's 7 labels; ignored when `coarse` is given. */
  coarseRows?: ReadonlyArray<{ text: string; label: string }>;
  /** A coarse model to reuse (a district retrain keeps the base one). */
  coarse?: LinearModelData;
  fineRows: readonly LabelledText[];
  /** The keyword rules' verdict on a normalised text. */
  rules: (text: string) => RulesVerdict;
  /** Every category code, so the model can name any of them. */
  labels: readonly string[];
  folds?: number;
  version: string;
  now: Date;
  log?: (line: string) => void;
}

const COARSE_OPTIONS = { spec: { buckets: 1 << 18, maxGram: 3, tfidf: true }, epochs: 5, learningRate: 0.3, l2: 1e-7, seed: 1 };
const FINE_OPTIONS = { spec: { buckets: 1 << 15, maxGram: 3 }, epochs: 12, learningRate: 0.3, l2: 1e-7, seed: 2 };
const RULE_WEIGHTS = [0, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12];
const OTHER_BIASES = Array.from({ length: 33 }, (_, i) => -3 + i * 0.25);
const MATTER_BIASES = [0, 0.5, 1, 1.5, 2, 3, 4];

export interface OutOfFold {
  truth: string;
  group: string;
  p: Float64Array;
  rules: RulesVerdict;
}

/** Which fold a row belongs to: by its text, so a repeated message never sits on both sides. */
function foldOf(text: string, folds: number): number {
  let h = 0;
  for (let i = 0; i < Math.min(text.length, 40); i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) >>> 0;
  return h % folds;
}

export function fitCombination(labels: readonly string[], oof: readonly OutOfFold[]): { params: CombineParams; accuracy: number } {
  let best = { params: { ruleWeight: 0, otherBias: 0, matterBias: 0 }, accuracy: -1 };
  for (const ruleWeight of RULE_WEIGHTS) {
    for (const otherBias of OTHER_BIASES) for (const matterBias of MATTER_BIASES) {
      const params = { ruleWeight, otherBias, matterBias };
      const right = new Map<string, [number, number]>();
      for (const row of oof) {
        const entry = right.get(row.group) ?? [0, 0];
        entry[1]++;
        if (combine(labels, row.p, row.rules, params).category === row.truth) entry[0]++;
        right.set(row.group, entry);
      }
      // The mean of each group's accuracy: 750 short grid reports must not drown 500 real letters.
      const accuracy = [...right.values()].reduce((s, [r, n]) => s + r / n, 0) / Math.max(1, right.size);
      if (accuracy > best.accuracy + 1e-9) best = { params, accuracy };
    }
  }
  return best;
}

/**
 * Trains the coarse and fine models, fits the rule/model combination and the calibration on
 * out-of-fold predictions (each row scored by a model that never saw it), then trains the final fine
 * model on every row. Pure: the caller reads the rows and writes the result.
 */
export function trainParserModel(input: PipelineInput): ParserModelData {
  const log = input.log ?? (() => undefined);
  const folds = input.folds ?? 5;
  const coarseData =
    input.coarse ?? trainLinearModel((input.coarseRows ?? []).map((r) => ({ text: r.text, label: r.label })), COARSE_OPTIONS);
  const coarse = new LinearModel(coarseData);
  const rows: TrainingRow[] = input.fineRows.map((r) => ({
    text: r.text,
    label: r.category,
    dense: [...coarse.probabilities(r.text)],
    weight: r.weight ?? 1,
  }));
  const rulesOf = input.fineRows.map((r) => input.rules(r.text));
  const fineOptions = { ...FINE_OPTIONS, labels: input.labels };
  const oof: OutOfFold[] = [];
  for (let f = 0; f < folds; f++) {
    const inFold = rows.map((r) => foldOf(r.text, folds) === f);
    const model = new LinearModel(trainLinearModel(rows.filter((_, i) => !inFold[i]), fineOptions));
    rows.forEach((r, i) => {
      if (inFold[i]) oof.push({ truth: r.label, group: input.fineRows[i]?.group ?? 'all', p: model.probabilities(r.text, r.dense), rules: rulesOf[i] as RulesVerdict });
    });
    log(`fold ${f + 1}/${folds} done`);
  }
  const labels = [...new Set([...input.labels, ...rows.map((r) => r.label)])].sort();
  const { params, accuracy } = fitCombination(labels, oof);
  const scored: Scored[] = oof.map((row) => {
    const c = combine(labels, row.p, row.rules, params);
    return { confidence: c.raw, correct: c.category === row.truth };
  });
  // Honest calibration error: fit the map on one half of the out-of-fold rows, measure on the other.
  const halfA = scored.filter((_, i) => i % 2 === 0);
  const halfB = scored.filter((_, i) => i % 2 === 1);
  const crossEce =
    (expectedCalibrationError(halfB.map((s) => ({ ...s, confidence: applyCalibration(fitIsotonic(halfA), s.confidence) }))) +
      expectedCalibrationError(halfA.map((s) => ({ ...s, confidence: applyCalibration(fitIsotonic(halfB), s.confidence) })))) /
    2;
  const calibration = fitIsotonic(scored);
  log(`combination ${JSON.stringify(params)}: out-of-fold accuracy (mean of groups) ${accuracy.toFixed(3)}`);
  const groupMetrics: Record<string, number> = {};
  for (const group of new Set(oof.map((r) => r.group))) {
    const mine = oof.filter((r) => r.group === group);
    const got = mine.map((r) => combine(labels, r.p, r.rules, params).category);
    const ok = (pred: (i: number) => boolean): number => round(mine.filter((_, i) => pred(i)).length / Math.max(1, mine.length));
    groupMetrics[`${group}.outOfFoldAccuracy`] = ok((i) => got[i] === mine[i]?.truth);
    const covered = mine.map((r, i) => [r, i] as const).filter(([r]) => r.truth !== 'other');
    const others = mine.map((r, i) => [r, i] as const).filter(([r]) => r.truth === 'other');
    groupMetrics[`${group}.outOfFoldCovered`] = round(covered.filter(([r, i]) => got[i] === r.truth).length / Math.max(1, covered.length));
    groupMetrics[`${group}.outOfFoldOtherRecall`] = round(others.filter(([, i]) => got[i] === 'other').length / Math.max(1, others.length));
    log(`  ${group}: ${JSON.stringify(Object.fromEntries(Object.entries(groupMetrics).filter(([k]) => k.startsWith(group))))}`);
  }
  const fine = trainLinearModel(rows, fineOptions);
  return {
    format: 'whistlebot-parser-model/1',
    version: input.version,
    trainedAt: input.now.toISOString(),
    metrics: {
      fineRows: rows.length,
      outOfFoldAccuracy: round(accuracy),
      outOfFoldEceRaw: round(expectedCalibrationError(scored)),
      outOfFoldEceCalibrated: round(crossEce),
      ...groupMetrics,
    },
    coarse: coarseData,
    fine,
    combine: params,
    calibration,
  };
}

const round = (v: number): number => Math.round(v * 1e4) / 1e4;
