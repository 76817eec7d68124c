import { decodeIdf, FeatureScratch, gramHashes, sparseFeatures, type FeatureSpec } from './features';

/**
 * A multinomial logistic regression over hashed character n-grams, plus optional dense inputs (another
 * model's probabilities). Weights are stored as int8 with one scale, so a model is a few hundred KB.
 */
export interface LinearModelData {
  labels: string[];
  spec: FeatureSpec;
  /** Dense inputs after the hashed ones (e.g. the coarse model's probabilities). */
  dense: number;
  scale: number;
  /** base64 of int8 weights, label-major: labels.length × (buckets + dense). */
  weights: string;
  bias: number[];
  /** base64 of the quantised idf per bucket, for TF-IDF features. */
  idf?: string;
}

export class LinearModel {
  readonly labels: readonly string[];
  private readonly width: number;
  /** Feature-major: the weights of one feature for every label sit together, `stride` apart. */
  private readonly weights: Int8Array;
  /** Labels rounded up to a multiple of 8, so that one feature's row never straddles more cache lines than it must. */
  private readonly stride: number;
  private readonly idf: Float32Array | undefined;
  private readonly scratch: FeatureScratch;

  constructor(private readonly data: LinearModelData) {
    this.labels = data.labels;
    this.width = data.spec.buckets + data.dense;
    const bytes = Buffer.from(data.weights, 'base64');
    const labelMajor = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    const K = this.labels.length;
    if (labelMajor.length !== K * this.width) {
      throw new Error(`model weights hold ${labelMajor.length} values, expected ${K * this.width}`);
    }
    // Stored label-major; read feature-major, so the weights of one feature for every label sit together.
    this.stride = Math.ceil(K / 8) * 8;
    this.weights = new Int8Array(this.width * this.stride);
    for (let k = 0; k < K; k++) {
      const row = k * this.width;
      for (let f = 0; f < this.width; f++) this.weights[f * this.stride + k] = labelMajor[row + f] as number;
    }
    this.scratch = new FeatureScratch(data.spec.buckets);
    if (data.bias.length !== this.labels.length) throw new Error('model bias does not match its labels');
    this.idf = data.idf === undefined ? undefined : decodeIdf(data.idf);
    if (data.spec.tfidf && this.idf?.length !== data.spec.buckets) throw new Error('TF-IDF model without an idf per bucket');
  }

  /** Raw scores (logits) per label. */
  /** `text` may be the message's gram hashes (features.ts `gramHashes`), computed once for several models. */
  logits(text: string | readonly number[], dense: readonly number[] = []): Float64Array {
    const { spec } = this.data;
    const hashes = typeof text === 'string' ? gramHashes(text, spec.maxGram) : text;
    const n = sparseFeatures(hashes, spec, this.scratch, this.idf);
    const { index, values } = this.scratch;
    const K = this.labels.length;
    const stride = this.stride;
    const weights = this.weights;
    const out = new Float64Array(stride);
    // Eight labels at a time (four for the last block when that covers the rest), their sums in locals
    // (registers) rather than in `out`: each label's sum still adds the features one by one in the order
    // featuresOf gives, so the result is the same to the bit. Labels past K (row padding) have zero weights.
    const blocks = Math.ceil(K / 4) * 4;
    let k = 0;
    for (; k + 8 <= blocks; k += 8) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let a4 = 0;
      let a5 = 0;
      let a6 = 0;
      let a7 = 0;
      for (let i = 0; i < n; i++) {
        const base = (index[i] as number) * stride + k;
        const v = values[i] as number;
        a0 += (weights[base] as number) * v;
        a1 += (weights[base + 1] as number) * v;
        a2 += (weights[base + 2] as number) * v;
        a3 += (weights[base + 3] as number) * v;
        a4 += (weights[base + 4] as number) * v;
        a5 += (weights[base + 5] as number) * v;
        a6 += (weights[base + 6] as number) * v;
        a7 += (weights[base + 7] as number) * v;
      }
      out[k] = a0;
      out[k + 1] = a1;
      out[k + 2] = a2;
      out[k + 3] = a3;
      out[k + 4] = a4;
      out[k + 5] = a5;
      out[k + 6] = a6;
      out[k + 7] = a7;
    }
    if (k < blocks) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let i = 0; i < n; i++) {
        const base = (index[i] as number) * stride + k;
        const v = values[i] as number;
        a0 += (weights[base] as number) * v;
        a1 += (weights[base + 1] as number) * v;
        a2 += (weights[base + 2] as number) * v;
        a3 += (weights[base + 3] as number) * v;
      }
      out[k] = a0;
      out[k + 1] = a1;
      out[k + 2] = a2;
      out[k + 3] = a3;
    }
    for (let d = 0; d < this.data.dense; d++) {
      const base = (spec.buckets + d) * stride;
      const v = dense[d] ?? 0;
      for (let k = 0; k < K; k++) out[k] = (out[k] as number) + (weights[base + k] as number) * v;
    }
    const logits = new Float64Array(K);
    for (let k = 0; k < K; k++) logits[k] = (out[k] as number) * this.data.scale + (this.data.bias[k] as number);
    return logits;
  }

  probabilities(text: string | readonly number[], dense: readonly number[] = [], temperature = 1): Float64Array {
    return softmax(this.logits(text, dense), temperature);
  }
}

export function softmax(logits: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  const out = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(((logits[i] as number) - max) / temperature);
    total += out[i] as number;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / total;
  return out;
}
