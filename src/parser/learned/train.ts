import { featuresOf, type FeatureSpec } from './features';
import type { LinearModelData } from './linearModel';

export interface TrainingRow {
  text: string;
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

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Softmax regression by AdaGrad over the rows, L2-regularised lazily, then quantised to int8. Pure and
 * deterministic for a given seed, so `npm run parser:train` reproduces the committed model.
 */
export function trainLinearModel(rows: readonly TrainingRow[], options: TrainOptions): LinearModelData {
  const labels = [...new Set([...(options.labels ?? []), ...rows.map((r) => r.label)])].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const dense = rows[0]?.dense?.length ?? 0;
  const { buckets } = options.spec;
  const width = buckets + dense;
  const K = labels.length;
  const w = new Float32Array(K * width);
  const g2 = new Float32Array(K * width).fill(1e-6);
  const bias = new Float64Array(K);
  const biasG2 = new Float64Array(K).fill(1e-6);
  const encoded = rows.map((r) => ({ ...featuresOf(r.text, options.spec), dense: r.dense ?? [], y: labelIndex.get(r.label) as number, weight: r.weight ?? 1 }));
  const random = mulberry32(options.seed);
  const order = encoded.map((_, i) => i);
  const p = new Float64Array(K);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const n of order) {
      const row = encoded[n];
      if (!row) continue;
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        let s = bias[k] as number;
        const base = k * width;
        for (let i = 0; i < row.index.length; i++) s += (w[base + (row.index[i] as number)] as number) * row.value;
        for (let d = 0; d < dense; d++) s += (w[base + buckets + d] as number) * (row.dense[d] ?? 0);
        p[k] = s;
        if (s > max) max = s;
      }
      let total = 0;
      for (let k = 0; k < K; k++) {
        p[k] = Math.exp((p[k] as number) - max);
        total += p[k] as number;
      }
      for (let k = 0; k < K; k++) {
        const grad = ((p[k] as number) / total - (k === row.y ? 1 : 0)) * row.weight;
        // A class the row already rules out contributes nothing worth the update (most of them, late on).
        if (Math.abs(grad) < 1e-4) continue;
        const base = k * width;
        const update = (at: number, x: number): void => {
          const g = grad * x + options.l2 * (w[at] as number);
          g2[at] = (g2[at] as number) + g * g;
          w[at] = (w[at] as number) - (options.learningRate * g) / Math.sqrt(g2[at] as number);
        };
        for (let i = 0; i < row.index.length; i++) update(base + (row.index[i] as number), row.value);
        for (let d = 0; d < dense; d++) update(base + buckets + d, row.dense[d] ?? 0);
        biasG2[k] = (biasG2[k] as number) + grad * grad;
        bias[k] = (bias[k] as number) - (options.learningRate * grad) / Math.sqrt(biasG2[k] as number);
      }
    }
  }
  return quantise(labels, options.spec, dense, w, bias);
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
