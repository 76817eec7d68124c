import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseModel, LearnedClassifier } from '../../../../src/parser';
import { decodeIdf, featuresOf, gramHashes } from '../../../../src/parser/learned/features';
import { LinearModel, type LinearModelData } from '../../../../src/parser/learned/linearModel';

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

  it('is not disturbed by the message before (its buffers are left clean)', () => {
    const fine = new LinearModel(model.fine as LinearModelData);
    const text = sample[3] as string;
    const first = [...fine.logits(classifier.grams(text), [0.1, 0.2, 0.3, 0.1, 0.1, 0.1, 0.1])];
    for (const other of sample) fine.logits(classifier.grams(other));
    expect([...fine.logits(classifier.grams(text), [0.1, 0.2, 0.3, 0.1, 0.1, 0.1, 0.1])]).toEqual(first);
  });
});
