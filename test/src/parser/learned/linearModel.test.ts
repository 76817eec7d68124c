import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseModel, defaultSegmenter, LearnedClassifier } from '../../../../src/parser';
import { decodeIdf, featuresOf, fitIdf, gramHashes, idfLevels, type FeatureSpec } from '../../../../src/parser/learned/features';
import { LinearModel, placeTogether, type LinearModelData } from '../../../../src/parser/learned/linearModel';

const fixture = (file: string): string[] =>
  readFileSync(join(__dirname, '../../../fixtures', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text);

const decodedCache = new Map<LinearModelData, { weights: Int8Array; idf: Float32Array | undefined }>();
function decoded(data: LinearModelData): { weights: Int8Array; idf: Float32Array | undefined } {
  let hit = decodedCache.get(data);
  if (!hit) {
    const bytes = Buffer.from(data.weights, 'base64');
    hit = { weights: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length), idf: data.idf === undefined ? undefined : decodeIdf(data.idf) };
    decodedCache.set(data, hit);
  }
  return hit;
}

/** The model as written down: featuresOf's Map of buckets, times the label-major weights, plus the bias. */
function straightforwardLogits(data: LinearModelData, grams: readonly number[], dense: readonly number[]): Float64Array {
  const { weights, idf } = decoded(data);
  const width = data.spec.buckets + data.dense;
  const { index, values } = featuresOf(grams, data.spec, idf);
  return Float64Array.from(data.labels, (_label, k) => {
    let sum = 0;
    for (let i = 0; i < index.length; i++) sum += (weights[k * width + (index[i] as number)] as number) * (values[i] as number);
    for (let d = 0; d < data.dense; d++) sum += (weights[k * width + data.spec.buckets + d] as number) * (dense[d] ?? 0);
    return sum * data.scale + (data.bias[k] as number);
  });
}

describe('LinearModel', () => {
  // Grid reports and real letters (labelled dev rows, not the eval rows), and some edge cases.
  const sample = [
    ...fixture('parser-messages.jsonl').filter((_t, i) => i % 15 === 0),
    ...fixture('tipdm-dev-holdout.jsonl').filter((_t, i) => i % 5 === 0),
    '',
    '？？？',
    'A3区 110KV 变电站 1101号',
    '漏水'.repeat(400),
  ];
  const model = baseModel();
  const classifier = new LearnedClassifier(model);

  it('gives the same logits, to the bit, as the straightforward sum over featuresOf (coarse and fine)', () => {
    const coarse = new LinearModel(model.coarse as LinearModelData);
    const fine = new LinearModel(model.fine as LinearModelData);
    for (const text of sample) {
      const grams = classifier.grams(text);
      const dense = [...coarse.probabilities(grams)];
      expect([...coarse.logits(grams)]).toEqual([...straightforwardLogits(model.coarse as LinearModelData, grams, [])]);
      expect([...fine.logits(grams, dense)]).toEqual([...straightforwardLogits(model.fine as LinearModelData, grams, dense)]);
      // A string is read as its character n-grams, as featuresOf reads it.
      expect([...coarse.logits(text)]).toEqual([...straightforwardLogits(model.coarse as LinearModelData, gramHashes(text, model.coarse.spec.maxGram), [])]);
    }
  });

  it('gives the same logits, to the bit, with both models\' rows placed together (as the classifier places them)', () => {
    const [coarseRows, fineRows] = placeTogether([model.coarse as LinearModelData, model.fine as LinearModelData]);
    expect(coarseRows?.bytes).toBe(fineRows?.bytes);
    const coarse = new LinearModel(model.coarse as LinearModelData, coarseRows);
    const fine = new LinearModel(model.fine as LinearModelData, fineRows);
    for (const text of sample) {
      const grams = classifier.grams(text);
      const dense = [...coarse.probabilities(grams)];
      expect([...coarse.logits(grams)]).toEqual([...straightforwardLogits(model.coarse as LinearModelData, grams, [])]);
      expect([...fine.logits(grams, dense)]).toEqual([...straightforwardLogits(model.fine as LinearModelData, grams, dense)]);
    }
  });

  it('gives the same logits for other shapes: 8 labels and an idf byte, buckets not a power of two, rows that do not share a line', () => {
    const texts = sample.slice(0, 40);
    const synthetic = (labels: number, spec: FeatureSpec, dense: number, seed: number): LinearModelData => {
      let state = seed;
      const weights = Int8Array.from({ length: labels * (spec.buckets + dense) }, () => {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        return (state >>> 24) - 128;
      });
      return {
        labels: Array.from({ length: labels }, (_, k) => `label${k}`),
        spec,
        dense,
        scale: 0.01,
        weights: Buffer.from(weights.buffer).toString('base64'),
        bias: Array.from({ length: labels }, (_, k) => k / 10),
        ...(spec.tfidf ? { idf: fitIdf(texts, spec) } : {}),
      };
    };
    const shapes: LinearModelData[][] = [
      [synthetic(8, { buckets: 4096, maxGram: 2, tfidf: true }, 0, 1), synthetic(3, { buckets: 2048, maxGram: 3, words: true }, 8, 2)],
      [synthetic(5, { buckets: 3001, maxGram: 3, tfidf: true }, 0, 3), synthetic(12, { buckets: 1000, maxGram: 1 }, 5, 4)],
      [synthetic(7, { buckets: 1024, maxGram: 3, tfidf: true }, 0, 5), synthetic(60, { buckets: 1024, maxGram: 3, words: true, wordPairs: true }, 7, 6)],
    ];
    for (const [first, second] of shapes as Array<[LinearModelData, LinearModelData]>) {
      const placements = placeTogether([first, second]);
      const models = [first, second].flatMap((data, i) => [new LinearModel(data), new LinearModel(data, placements[i])]);
      for (const text of texts) {
        const grams = gramHashes(text, 3, defaultSegmenter(text));
        const dense = Array.from({ length: 8 }, (_, d) => (d + 1) / 36);
        for (const [i, linear] of models.entries()) {
          const data = i < 2 ? first : second;
          expect([...linear.logits(grams, dense.slice(0, data.dense))]).toEqual([...straightforwardLogits(data, grams, dense.slice(0, data.dense))]);
        }
      }
    }
  });

  it('reads a stored idf byte as the idf decodeIdf gives it', () => {
    const every = Buffer.from(Uint8Array.from({ length: 256 }, (_, q) => q)).toString('base64');
    expect([...idfLevels()]).toEqual([...decodeIdf(every)]);
  });

  it('is not disturbed by the message before (its buffers are left clean)', () => {
    const fine = new LinearModel(model.fine as LinearModelData);
    const text = sample[3] as string;
    const first = [...fine.logits(classifier.grams(text), [0.1, 0.2, 0.3, 0.1, 0.1, 0.1, 0.1])];
    for (const other of sample) fine.logits(classifier.grams(other));
    expect([...fine.logits(classifier.grams(text), [0.1, 0.2, 0.3, 0.1, 0.1, 0.1, 0.1])]).toEqual(first);
  });
});

describe('the coarse-answer model', () => {
  const model = baseModel();
  const answerData = model.coarseAnswer?.model as LinearModelData;
  const rules = { category: 'other', confidence: 0 };
  const letters = fixture('tipdm-dev-holdout.jsonl').filter((_t, i) => i % 10 === 0);

  it('answers the coarse labels, while the fine model still reads the coarse model', () => {
    expect(answerData).toBeDefined();
    const classifier = new LearnedClassifier(model);
    const coarse = new LinearModel(model.coarse as LinearModelData);
    const answer = new LinearModel(answerData);
    for (const text of letters) {
      const grams = classifier.grams(text);
      const verdict = classifier.classify(text, rules);
      const answered = answer.probabilities(grams);
      expect(verdict.coarse.all).toEqual(Object.fromEntries(answerData.labels.map((l, k) => [l, Math.round((answered[k] as number) * 1000) / 1000])));
      expect([...classifier.modelProbabilities(grams)]).toEqual([...new LinearModel(model.fine as LinearModelData).probabilities(grams, [...coarse.probabilities(grams)])]);
    }
  });

  it('falls back to the coarse model for a model file without one', () => {
    const { model: _answer, ...minimum } = model.coarseAnswer ?? { mappedMinProbability: 0 };
    const older = new LearnedClassifier({ ...model, coarseAnswer: minimum });
    const coarse = new LinearModel(model.coarse as LinearModelData);
    for (const text of letters) {
      const p = coarse.probabilities(older.grams(text));
      expect(older.classify(text, rules).coarse.probability).toBe(Math.max(...p));
    }
  });

  it('is refused when its labels are not the coarse model labels', () => {
    const relabelled = { ...answerData, labels: [...answerData.labels].reverse() };
    expect(() => new LearnedClassifier({ ...model, coarseAnswer: { mappedMinProbability: 0.1, model: relabelled } })).toThrow(/labels differ/);
  });
});
