import { decodeIdf, featuresOf, fitIdf, type FeatureSpec } from './features';
import type { LinearModelData } from './linearModel';

export interface TrainingRow {
  /** The text, or its gram hashes (features.ts `gramHashes`, with its words for a model that reads words). */
  text: string | readonly number[];
  label: string;
  /** Dense inputs (another model's probabilities); same length for every row. */
  dense?: readonly number[];
  /** How much the row counts (a dispatcher's correction may count more than a fixture). */
  weight?: number;
}

export interface TrainOptions {
  spec: FeatureSpec;
  epochs: number;
  learningRate: number;
  l2: number;
  /** Deterministic shuffling. */
  seed: number;
  /** Labels the model must know even when no row has them (so a district model keeps the taxonomy). */
  labels?: readonly string[];
}

/** A small seeded generator (mulberry32): the same seed, the same draws. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One training row as a sparse vector: feature indices with their values, the label's index, a weight. */
export interface SparseRow {
  index: ArrayLike<number>;
  values: ArrayLike<number> | number;
  y: number;
  weight: number;
}

export interface SoftmaxOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

/**
 * Softmax regression by AdaGrad over sparse rows, L2-regularised lazily (on the features a row touches).
 * Deterministic for a given seed. Returns the weights label-major (classes × width) and the biases.
 * Trained feature-major (the weights of one feature for every class side by side): a row touches a few
 * hundred features, and each is then one contiguous read instead of one per class.
 */
export function trainSoftmax(rows: readonly SparseRow[], width: number, classes: number, options: SoftmaxOptions): { w: Float32Array; bias: Float64Array } {
  const K = classes;
  const w = new Float32Array(K * width);
  const g2 = new Float32Array(K * width).fill(1e-6);
  const bias = new Float64Array(K);
  const biasG2 = new Float64Array(K).fill(1e-6);
  const random = mulberry32(options.seed);
  const order = rows.map((_, i) => i);
  const p = new Float64Array(K);
  const grad = new Float64Array(K);
  const { learningRate, l2 } = options;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const n of order) {
      const row = rows[n];
      if (!row) continue;
      const { index, values } = row;
      const constant = typeof values === 'number' ? values : 0;
      for (let k = 0; k < K; k++) p[k] = bias[k] as number;
      for (let i = 0; i < index.length; i++) {
        const v = typeof values === 'number' ? constant : (values[i] as number);
        const base = (index[i] as number) * K;
        for (let k = 0; k < K; k++) p[k] = (p[k] as number) + (w[base + k] as number) * v;
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) if ((p[k] as number) > max) max = p[k] as number;
      let total = 0;
      for (let k = 0; k < K; k++) {
        p[k] = Math.exp((p[k] as number) - max);
        total += p[k] as number;
      }
      let active = false;
      for (let k = 0; k < K; k++) {
        const gk = ((p[k] as number) / total - (k === row.y ? 1 : 0)) * row.weight;
        // A class the row already rules out contributes nothing worth the update (most of them, late on).
        grad[k] = Math.abs(gk) < 1e-4 ? 0 : gk;
        if (grad[k] !== 0) {
          active = true;
          biasG2[k] = (biasG2[k] as number) + gk * gk;
          bias[k] = (bias[k] as number) - (learningRate * gk) / Math.sqrt(biasG2[k] as number);
        }
      }
      if (!active) continue;
      for (let i = 0; i < index.length; i++) {
        const v = typeof values === 'number' ? constant : (values[i] as number);
        const base = (index[i] as number) * K;
        for (let k = 0; k < K; k++) {
          const gk = grad[k] as number;
          if (gk === 0) continue;
          const at = base + k;
          const g = gk * v + l2 * (w[at] as number);
          g2[at] = (g2[at] as number) + g * g;
          w[at] = (w[at] as number) - (learningRate * g) / Math.sqrt(g2[at] as number);
        }
      }
    }
  }
  const labelMajor = new Float32Array(K * width);
  for (let f = 0; f < width; f++) for (let k = 0; k < K; k++) labelMajor[k * width + f] = w[f * K + k] as number;
  return { w: labelMajor, bias };
}

/**
 * The parser's linear model: hashed character n-grams and words (binary, or TF-IDF with `spec.tfidf`; unit
 * length) plus dense inputs, trained by `trainSoftmax`, then quantised to int8. Pure, so `npm run parser:train` reproduces the committed model.
 */
export function trainLinearModel(rows: readonly TrainingRow[], options: TrainOptions): LinearModelData {
  const labels = [...new Set([...(options.labels ?? []), ...rows.map((r) => r.label)])].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const dense = rows[0]?.dense?.length ?? 0;
  const { buckets } = options.spec;
  const idf = options.spec.tfidf ? fitIdf(rows.map((r) => r.text), options.spec) : undefined;
  const idfValues = idf === undefined ? undefined : decodeIdf(idf);
  const sparse: SparseRow[] = rows.map((r) => {
    const features = featuresOf(r.text, options.spec, idfValues);
    const { index } = features;
    const all = new Int32Array(index.length + dense);
    const values = new Float64Array(index.length + dense);
    all.set(index);
    values.set(features.values);
    for (let d = 0; d < dense; d++) {
      all[index.length + d] = buckets + d;
      values[index.length + d] = r.dense?.[d] ?? 0;
    }
    return { index: all, values, y: labelIndex.get(r.label) as number, weight: r.weight ?? 1 };
  });
  const { w, bias } = trainSoftmax(sparse, buckets + dense, labels.length, options);
  return { ...quantise(labels, options.spec, dense, w, bias), ...(idf === undefined ? {} : { idf }) };
}

function quantise(labels: string[], spec: FeatureSpec, dense: number, w: Float32Array, bias: Float64Array): LinearModelData {
  let maxAbs = 0;
  for (const v of w) maxAbs = Math.max(maxAbs, Math.abs(v));
  const scale = maxAbs === 0 ? 1 : maxAbs / 127;
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.round((w[i] as number) / scale);
  return {
    labels,
    spec,
    dense,
    scale,
    weights: Buffer.from(q.buffer).toString('base64'),
    bias: [...bias].map((b) => Math.round(b * 1e4) / 1e4),
  };
}
