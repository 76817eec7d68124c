import { FeatureScratch, gramHashes, idfCodes, idfLevels, type FeatureSpec } from './features';

/**
 * A multinomial logistic regression over hashed character n-grams, plus optional dense inputs (another
 * model's probabilities). Weights are stored as int8 with one scale: a byte per bucket and label.
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

/**
 * Where a model's bucket rows sit in memory: the row of bucket b starts at
 * `(b & (2^blockBits - 1)) * blockBytes + (b >>> blockBits) * rowBytes + offset` of `bytes`.
 * Alone, a model's rows follow one another (`blockBits` 31). Two models over the same gram hashes with
 * power-of-two bucket counts can share blocks (`placeTogether`): the rows a gram touches in either model
 * then sit side by side, where apart each would cost a cache miss of its own.
 */
export interface RowPlacement {
  bytes: Int8Array;
  blockBits: number;
  blockBytes: number;
  offset: number;
}

const CACHE_LINE = 64;

/** Bytes of one bucket's row: a weight per label, then (TF-IDF) the bucket's idf byte, rounded up to 8. */
export function rowBytes(data: LinearModelData): number {
  return Math.ceil((data.labels.length + (data.spec.tfidf ? 1 : 0)) / 8) * 8;
}

const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

/** Each model's rows in memory of its own, one after another. */
function placeAlone(data: LinearModelData): RowPlacement {
  const bytes = rowBytes(data);
  return { bytes: new Int8Array(data.spec.buckets * bytes), blockBits: 31, blockBytes: bytes, offset: 0 };
}

/**
 * Placements for models read over the same gram hashes: when every bucket count is a power of two and one
 * block of all their rows fits a cache line, gram h's rows in every model sit in block h mod the smallest
 * bucket count; otherwise each model apart.
 */
export function placeTogether(models: readonly LinearModelData[]): RowPlacement[] {
  const buckets = models.map((m) => m.spec.buckets);
  if (!buckets.every(isPowerOfTwo)) return models.map(placeAlone);
  const fewest = Math.min(...buckets);
  const parts = models.map((m) => (m.spec.buckets / fewest) * rowBytes(m));
  const used = parts.reduce((a, b) => a + b, 0);
  if (used > CACHE_LINE) return models.map(placeAlone);
  let blockBytes = 8;
  while (blockBytes < used) blockBytes *= 2;
  // A block is at most a cache line, so it spans one or two lines however the array is aligned (one when
  // the array starts on a line, or when it starts 16 bytes past one, as large malloc blocks do, and the
  // block uses 48 bytes or fewer: the coarse and the fine model here use 16 + 32).
  const bytes = new Int8Array(fewest * blockBytes);
  const blockBits = Math.log2(fewest);
  let offset = 0;
  return parts.map((part) => {
    const placement = { bytes, blockBits, blockBytes, offset };
    offset += part;
    return placement;
  });
}

export class LinearModel {
  readonly labels: readonly string[];
  /** Bytes of a bucket's row (see `rowBytes`); the sums below run over whole 8-label blocks of it. */
  private readonly stride: number;
  private readonly rows: Int8Array;
  /** The same memory as `rows`, unsigned: where the idf bytes are read. */
  private readonly rowCodes: Uint8Array;
  private readonly blockMask: number;
  private readonly blockBits: number;
  private readonly blockBytes: number;
  private readonly offset: number;
  /** The dense inputs' weights, input-major, `stride` apart. */
  private readonly denseWeights: Int8Array;
  /** The idf of each idf byte, for a TF-IDF model. */
  private readonly idfOfCode: Float64Array | null;
  private readonly scratch = new FeatureScratch();
  /** Row start per feature of the message being read. */
  private rowOf = new Int32Array(256);
  /** What the touching loop read: kept, so that the loop is not optimised away. */
  touched = 0;

  constructor(
    private readonly data: LinearModelData,
    placement: RowPlacement = placeAlone(data),
  ) {
    this.labels = data.labels;
    const { buckets } = data.spec;
    const width = buckets + data.dense;
    const bytes = Buffer.from(data.weights, 'base64');
    const labelMajor = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    const K = this.labels.length;
    if (labelMajor.length !== K * width) {
      throw new Error(`model weights hold ${labelMajor.length} values, expected ${K * width}`);
    }
    if (data.bias.length !== K) throw new Error('model bias does not match its labels');
    const codes = data.idf === undefined ? undefined : idfCodes(data.idf);
    if (data.spec.tfidf && codes?.length !== buckets) throw new Error('TF-IDF model without an idf per bucket');
    this.stride = rowBytes(data);
    this.rows = placement.bytes;
    this.rowCodes = new Uint8Array(placement.bytes.buffer, placement.bytes.byteOffset, placement.bytes.length);
    this.blockBits = placement.blockBits;
    this.blockMask = placement.blockBits >= 31 ? 0x7fffffff : (1 << placement.blockBits) - 1;
    this.blockBytes = placement.blockBytes;
    this.offset = placement.offset;
    // Stored label-major; read bucket-major, so the weights of one bucket for every label sit together.
    for (let b = 0; b < buckets; b++) {
      const row = this.rowStart(b);
      for (let k = 0; k < K; k++) this.rows[row + k] = labelMajor[k * width + b] as number;
      if (codes && data.spec.tfidf) this.rowCodes[row + K] = codes[b] as number;
    }
    this.denseWeights = new Int8Array(data.dense * this.stride);
    for (let d = 0; d < data.dense; d++) {
      for (let k = 0; k < K; k++) this.denseWeights[d * this.stride + k] = labelMajor[k * width + buckets + d] as number;
    }
    this.idfOfCode = data.spec.tfidf ? idfLevels() : null;
  }

  private rowStart(bucket: number): number {
    return (bucket & this.blockMask) * this.blockBytes + (bucket >>> this.blockBits) * this.stride + this.offset;
  }

  /** Raw scores (logits) per label. `text` may be the message's gram hashes (features.ts `gramHashes`), computed once for several models. */
  logits(text: string | readonly number[], dense: readonly number[] = []): Float64Array {
    const { spec } = this.data;
    const hashes = typeof text === 'string' ? gramHashes(text, spec.maxGram) : text;
    const scratch = this.scratch;
    const n = spec.tfidf ? scratch.countBuckets(hashes, spec) : scratch.distinctBuckets(hashes, spec);
    const { index, counts, values } = scratch;
    if (this.rowOf.length < n) this.rowOf = new Int32Array(Math.max(n, this.rowOf.length * 2));
    const rowOf = this.rowOf;
    const K = this.labels.length;
    const stride = this.stride;
    const weights = this.rows;
    // Every row the message needs, read once in a loop this tight so that many of the (cache-missing) reads
    // are in flight together; the loops below then find them in cache.
    let touched = 0;
    for (let i = 0; i < n; i++) {
      const row = this.rowStart(index[i] as number);
      rowOf[i] = row;
      touched += weights[row] as number;
    }
    this.touched = touched;
    // featuresOf's values: count × idf (TF-IDF) or 1, scaled to unit length, in the same order.
    let norm = 0;
    const idfOfCode = this.idfOfCode;
    const codes = this.rowCodes;
    for (let i = 0; i < n; i++) {
      const v = idfOfCode ? (counts[i] as number) * (idfOfCode[codes[(rowOf[i] as number) + K] as number] as number) : 1;
      values[i] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) values[i] = (values[i] as number) / norm;
    const out = new Float64Array(stride);
    // Eight labels at a time (four for the last block when that covers the rest), their sums in locals
    // (registers) rather than in `out`: each label's sum still adds the features one by one in the order
    // featuresOf gives, so the result is the same to the bit. Sums past K (a row's padding or idf byte) are
    // never read.
    this.sums(n, out);
    const denseWeights = this.denseWeights;
    for (let d = 0; d < this.data.dense; d++) {
      const base = d * stride;
      const v = dense[d] ?? 0;
      for (let k = 0; k < K; k++) out[k] = (out[k] as number) + (denseWeights[base + k] as number) * v;
    }
    const logits = new Float64Array(K);
    for (let k = 0; k < K; k++) logits[k] = (out[k] as number) * this.data.scale + (this.data.bias[k] as number);
    return logits;
  }

  /** The sparse part of the sums: every feature's weights times its value, label by label in feature order. */
  private sums(n: number, out: Float64Array): void {
    const K = this.labels.length;
    const weights = this.rows;
    const { rowOf } = this;
    const { values } = this.scratch;
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
        const base = (rowOf[i] as number) + k;
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
        const base = (rowOf[i] as number) + k;
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
