import { softmax } from './linearModel';

/** How the keyword rules and the model's probabilities are weighed together (fitted by parser:train). */
export interface CombineParams {
  /** Added to the log-probability of the category the rules chose, times the rules' own confidence. */
  ruleWeight: number;
  /** Added to the log-probability of `other`: how readily a message is judged not actionable. */
  otherBias: number;
  /** Added to `other` when the opening of the message names a matter another body owns (学校, 养老保险…). */
  matterBias: number;
}

export interface RulesVerdict {
  category: string;
  /** The rules' own 0..1 certainty; 0 when no cue word matched. */
  confidence: number;
  /** The opening names a matter no department here owns (schools, pensions, planning…). */
  matter?: boolean;
}

export interface Combined {
  category: string;
  /** Uncalibrated probability of `category` after combining. */
  raw: number;
  probabilities: Float64Array;
}

/** Probabilities below this count as this (the log of 0 would swamp every bonus). */
export const FLOOR = 1e-6;

/** The index of the largest value (the first on a tie); 0 for no values. */
export function indexOfLargest(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if ((values[k] as number) > (values[best] as number)) best = k;
  return best;
}

export function combine(labels: readonly string[], modelP: Float64Array, rules: RulesVerdict, params: CombineParams): Combined {
  const scores = new Float64Array(labels.length);
  for (let k = 0; k < labels.length; k++) {
    let s = Math.log(Math.max(FLOOR, modelP[k] as number));
    if (labels[k] === rules.category && rules.category !== 'other') s += params.ruleWeight * rules.confidence;
    if (labels[k] === 'other') s += params.otherBias + (rules.matter ? params.matterBias : 0);
    scores[k] = s;
  }
  const probabilities = softmax(scores);
  const best = indexOfLargest(probabilities);
  return { category: labels[best] as string, raw: probabilities[best] as number, probabilities };
}
