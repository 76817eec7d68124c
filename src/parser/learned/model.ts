import { z } from 'zod';
import { applyCalibration, type CalibrationMap } from './calibration';
import { combine, indexOfLargest, type CombineParams, type RulesVerdict } from './combine';
import { gramHashes, readsWordPairs, readsWords } from './features';
import { LinearModel, placeTogether, type LinearModelData } from './linearModel';
import { defaultSegmenter, type Segmenter } from '../segmenter';

/**
 * The learned part of the parser, as data: a coarse model (the data set's 7 labels, trained on the
 * tipdm segmented rows) whose probabilities feed a fine model (our category codes), the weights that
 * combine it with the rules, and the calibration map fitted on rows it was not trained on.
 */
const linearSchema = z.object({
  labels: z.array(z.string().min(1)).min(2),
  spec: z.object({
    buckets: z.number().int().positive(),
    maxGram: z.number().int().min(1).max(4),
    tfidf: z.boolean().optional(),
    words: z.boolean().optional(),
    wordPairs: z.boolean().optional(),
  }),
  dense: z.number().int().nonnegative(),
  scale: z.number().positive(),
  weights: z.string(),
  bias: z.array(z.number()),
  idf: z.string().optional(),
});

const combineSchema = z.object({ ruleWeight: z.number(), otherBias: z.number(), matterBias: z.number().default(0) });
const calibrationSchema = z.object({ x: z.array(z.number()), y: z.array(z.number()) });

export const parserModelSchema = z.object({
  format: z.literal('whistlebot-parser-model/1'),
  version: z.string().min(1),
  trainedAt: z.string(),
  /** What it was trained on and how it scored on rows it never saw (printed by parser:eval). */
  metrics: z.record(z.string(), z.number()),
  coarse: linearSchema,
  fine: linearSchema,
  combine: combineSchema,
  calibration: calibrationSchema,
  /** Letters (from `minChars` characters) are weighed and calibrated apart from chat reports. */
  letters: z.object({ minChars: z.number().int().positive(), combine: combineSchema, calibration: calibrationSchema }).optional(),
  /** How the data set's coarse labels are answered (src/parser/coarse.ts), fitted out of fold. */
  coarseAnswer: z
    .object({
      mappedMinProbability: z.number().min(0),
      /** The model that answers them (the coarse model's labels and features); without it, the coarse model. */
      model: linearSchema.optional(),
    })
    .optional(),
});

export type ParserModelData = z.infer<typeof parserModelSchema>;

export interface LearnedVerdict {
  category: string;
  /** Calibrated: of messages given this confidence, about this share were right. */
  confidence: number;
  /** The model's probability that no department here owns the message. */
  otherProbability: number;
  coarse: { label: string; probability: number; all: Record<string, number> };
  /** Best categories after combining, most likely first. */
  ranked: Array<{ category: string; probability: number }>;
}

/** How the rules and the model are weighed for one kind of message, and what the result's confidence means. */
interface Weighing {
  params: CombineParams;
  calibration: CalibrationMap;
}

export class LearnedClassifier {
  readonly version: string;
  private readonly coarse: LinearModel;
  private readonly fine: LinearModel;
  /** What answers the data set's coarse labels: a model of its own, or the coarse model. */
  private readonly answer: LinearModel | null;
  private readonly chat: Weighing;
  private readonly letters: (Weighing & { minChars: number }) | null;
  private readonly otherIndex: number;
  private readonly maxGram: number;
  private readonly readsWords: boolean;
  private readonly readsWordPairs: boolean;

  /** `segment` splits a text into words for a model that reads words (the district's jieba by default). */
  constructor(
    data: ParserModelData,
    private readonly segment: Segmenter = defaultSegmenter,
  ) {
    const parsed = parserModelSchema.parse(data);
    this.version = parsed.version;
    const answerData = parsed.coarseAnswer?.model as LinearModelData | undefined;
    if (answerData && answerData.labels.join() !== parsed.coarse.labels.join()) throw new Error("coarse-answer model's labels differ from the coarse model's");
    if (answerData && (answerData.spec.maxGram > parsed.coarse.spec.maxGram || readsWords(answerData.spec) || readsWordPairs(answerData.spec))) {
      throw new Error('coarse-answer model reads features the coarse model does not');
    }
    // The models read the same gram hashes: a gram's rows in all of them sit in one 64-byte block.
    const models = [parsed.coarse, parsed.fine, ...(answerData ? [answerData] : [])] as LinearModelData[];
    const [coarseRows, fineRows, answerRows] = placeTogether(models);
    this.coarse = new LinearModel(parsed.coarse as LinearModelData, coarseRows);
    this.fine = new LinearModel(parsed.fine as LinearModelData, fineRows);
    this.answer = answerData ? new LinearModel(answerData, answerRows) : null;
    if (parsed.fine.dense !== parsed.coarse.labels.length) throw new Error('fine model does not read the coarse model it ships with');
    this.chat = { params: parsed.combine, calibration: parsed.calibration };
    this.letters = parsed.letters ? { minChars: parsed.letters.minChars, params: parsed.letters.combine, calibration: parsed.letters.calibration } : null;
    this.otherIndex = this.fine.labels.indexOf('other');
    this.maxGram = Math.max(parsed.coarse.spec.maxGram, parsed.fine.spec.maxGram);
    this.readsWords = readsWords(parsed.coarse.spec) || readsWords(parsed.fine.spec);
    this.readsWordPairs = readsWordPairs(parsed.coarse.spec) || readsWordPairs(parsed.fine.spec);
    if (this.otherIndex < 0) throw new Error('fine model has no "other" label');
  }

  get labels(): readonly string[] {
    return this.fine.labels;
  }

  /**
   * What both models read of a text: its gram hashes, with its words when a model reads words (`words`,
   * the text's segmentation when the caller already has it; otherwise the text is cut here), and word pairs
   * only when a model reads those.
   */
  grams(text: string, words?: readonly string[]): number[] {
    return gramHashes(text, this.maxGram, this.readsWords ? (words ?? this.segment(text)) : undefined, this.readsWordPairs);
  }

  coarseProbabilities(text: string | readonly number[]): Float64Array {
    return this.coarse.probabilities(typeof text === 'string' ? this.grams(text) : text);
  }

  /** The fine model's probabilities alone (before the rules are weighed in). */
  modelProbabilities(text: string | readonly number[], coarse?: Float64Array): Float64Array {
    const grams = typeof text === 'string' ? this.grams(text) : text;
    return this.fine.probabilities(grams, [...(coarse ?? this.coarseProbabilities(grams))]);
  }

  classify(text: string, rules: RulesVerdict, words?: readonly string[]): LearnedVerdict {
    const grams = this.grams(text, words);
    const coarse = this.coarseProbabilities(grams);
    const p = this.modelProbabilities(grams, coarse);
    const band = this.letters && text.length >= this.letters.minChars ? this.letters : this.chat;
    const combined = combine(this.fine.labels, p, rules, band.params);
    const answering = this.answer ? this.answer.probabilities(grams) : coarse;
    const coarseBest = indexOfLargest(answering);
    const ranked = [...combined.probabilities]
      .map((probability, k) => ({ category: this.fine.labels[k] as string, probability }))
      .sort((a, b) => b.probability - a.probability)
      .slice(0, 3);
    return {
      category: combined.category,
      confidence: applyCalibration(band.calibration, combined.raw),
      otherProbability: p[this.otherIndex] as number,
      coarse: {
        label: this.coarse.labels[coarseBest] as string,
        probability: answering[coarseBest] as number,
        all: Object.fromEntries(this.coarse.labels.map((l, k) => [l, Math.round((answering[k] as number) * 1000) / 1000])),
      },
      ranked,
    };
  }
}
