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
  /**
   * Train one-vs-rest squared-hinge SVMs (`trainSquaredHinge`) instead of softmax regression; their margins
   * become probabilities through a temperature fitted on rows held back from a first fit. `epochs`,
   * `learningRate` and `l2` are then unused.
   */
  svm?: Omit<SquaredHingeOptions, 'seed'>;
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

export interface SquaredHingeOptions {
  /** The cost of a margin violation (liblinear's and scikit-learn's C): larger fits the rows more closely. */
  c: number;
  /** Passes over the rows at most; training stops earlier once every row nearly meets its optimality condition. */
  maxEpochs: number;
  seed: number;
  /**
   * Training stops once the projected gradients of a pass spread less than this (liblinear's eps; default
   * 0.1, liblinear's own for this solver).
   */
  tolerance?: number;
}

/**
 * One-vs-rest linear SVMs with the squared hinge loss and L2 regularisation (scikit-learn's LinearSVC, liblinear's
 * L2R_L2LOSS_SVC_DUAL), solved in the dual by coordinate descent (Hsieh et al., 2008), a bias fitted as a feature
 * of constant 1 as liblinear does. A row's weight multiplies its cost. Same seed, same result. Returns the
 * weights label-major (classes × width) and the biases, as `trainSoftmax` does; a class's score is its margin.
 */
export function trainSquaredHinge(rows: readonly SparseRow[], width: number, classes: number, options: SquaredHingeOptions): { w: Float32Array; bias: Float64Array } {
  const labelMajor = new Float32Array(classes * width);
  const bias = new Float64Array(classes);
  // Per row: its squared norm with the bias feature, and the diagonal the squared hinge adds to the dual.
  const qii = rows.map((row) => {
    let sum = 1;
    for (let i = 0; i < row.index.length; i++) {
      const v = typeof row.values === 'number' ? row.values : (row.values[i] as number);
      sum += v * v;
    }
    return sum;
  });
  const diagonal = rows.map((row) => 1 / (2 * options.c * row.weight));
  const w = new Float64Array(width);
  const alpha = new Float64Array(rows.length);
  for (let k = 0; k < classes; k++) {
    w.fill(0);
    alpha.fill(0);
    let b = 0;
    const random = mulberry32(options.seed + k);
    const order = rows.map((_, i) => i);
    for (let epoch = 0; epoch < options.maxEpochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      let maxPG = -Infinity;
      let minPG = Infinity;
      for (const n of order) {
        const row = rows[n] as SparseRow;
        const y = row.y === k ? 1 : -1;
        const { index, values } = row;
        let margin = b;
        for (let i = 0; i < index.length; i++) margin += (w[index[i] as number] as number) * (typeof values === 'number' ? values : (values[i] as number));
        const a = alpha[n] as number;
        const d = diagonal[n] as number;
        const gradient = y * margin - 1 + d * a;
        const projected = a === 0 ? Math.min(gradient, 0) : gradient;
        maxPG = Math.max(maxPG, projected);
        minPG = Math.min(minPG, projected);
        if (Math.abs(projected) < 1e-12) continue;
        const next = Math.max(a - gradient / ((qii[n] as number) + d), 0);
        alpha[n] = next;
        const step = (next - a) * y;
        for (let i = 0; i < index.length; i++) {
          const f = index[i] as number;
          w[f] = (w[f] as number) + step * (typeof values === 'number' ? values : (values[i] as number));
        }
        b += step;
      }
      if (maxPG - minPG < (options.tolerance ?? 0.1)) break;
    }
    for (let f = 0; f < width; f++) labelMajor[k * width + f] = w[f] as number;
    bias[k] = b;
  }
  return { w: labelMajor, bias };
}

/**
 * The parser's linear model: hashed character n-grams and words (binary, or TF-IDF with `spec.tfidf`; unit
 * length) plus dense inputs, trained by `trainSoftmax` (or, with `svm`, `trainSquaredHinge`), then quantised to int8. Pure, so `npm run parser:train` reproduces the committed model.
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
  const { w, bias } = options.svm
    ? trainCalibratedSvm(sparse, buckets + dense, labels.length, { ...options.svm, seed: options.seed })
    : trainSoftmax(sparse, buckets + dense, labels.length, options);
  return { ...quantise(labels, options.spec, dense, w, bias), ...(idf === undefined ? {} : { idf }) };
}

/** Every HELD_BACK_EVERY-th row is held back from the first fit, to fit the temperature on. */
const HELD_BACK_EVERY = 5;

/**
 * SVMs whose margins, times a temperature, are log-probabilities: the temperature is the one that makes
 * softmax(T × margins) most likely on rows a first fit never saw; the model returned is fitted on every row,
 * its weights and biases multiplied by T.
 */
function trainCalibratedSvm(rows: readonly SparseRow[], width: number, classes: number, options: SquaredHingeOptions): { w: Float32Array; bias: Float64Array } {
  const heldBack = rows.filter((_, n) => n % HELD_BACK_EVERY === HELD_BACK_EVERY - 1);
  const first = trainSquaredHinge(rows.filter((_, n) => n % HELD_BACK_EVERY !== HELD_BACK_EVERY - 1), width, classes, options);
  const margins = heldBack.map((row) => {
    const out = Float64Array.from(first.bias);
    for (let k = 0; k < classes; k++) {
      for (let i = 0; i < row.index.length; i++) {
        const v = typeof row.values === 'number' ? row.values : (row.values[i] as number);
        out[k] = (out[k] as number) + (first.w[k * width + (row.index[i] as number)] as number) * v;
      }
    }
    return out;
  });
  const temperature = fitTemperature(margins, heldBack.map((r) => r.y));
  const all = trainSquaredHinge(rows, width, classes, options);
  for (let i = 0; i < all.w.length; i++) all.w[i] = (all.w[i] as number) * temperature;
  for (let k = 0; k < classes; k++) all.bias[k] = (all.bias[k] as number) * temperature;
  return all;
}

/** Mean negative log-likelihood of the true classes under softmax(t × scores). */
function meanNegativeLogLikelihood(scores: readonly Float64Array[], truth: readonly number[], t: number): number {
  let total = 0;
  scores.forEach((s, n) => {
    let max = -Infinity;
    for (const v of s) max = Math.max(max, t * v);
    let sum = 0;
    for (const v of s) sum += Math.exp(t * v - max);
    total += max + Math.log(sum) - t * (s[truth[n] as number] as number);
  });
  return total / Math.max(1, scores.length);
}

/**
 * The t > 0 under which softmax(t × scores) best predicts `truth` (least mean negative log-likelihood, which
 * is convex in t): a golden-section search over ln t in [ln 0.01, ln 1000].
 */
export function fitTemperature(scores: readonly Float64Array[], truth: readonly number[]): number {
  const loss = (logT: number): number => meanNegativeLogLikelihood(scores, truth, Math.exp(logT));
  const ratio = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(0.01);
  let hi = Math.log(1000);
  for (let step = 0; step < 60; step++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (loss(a) <= loss(b)) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
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
