/**
 * Character n-grams of a message and, optionally, its words (jieba's segmentation), hashed into a fixed
 * number of buckets. Characters catch what the segmenter splits wrongly; words tell 狗 from 狗肉 and
 * 电力 from 电力局. Digits read as one digit class (1101号 and 2203号 look alike); ASCII letters (the data
 * set's A3区) as lower case.
 */
export interface FeatureSpec {
  buckets: number;
  maxGram: number;
  /** Counts weighted by inverse document frequency (else each distinct gram counts 1). */
  tfidf?: boolean;
  /** Words of the segmented text count as features too. */
  words?: boolean;
  /** Pairs of adjacent words too (needs `words`). */
  wordPairs?: boolean;
}

/** Gram kinds past the character n-grams (1..4), in the low bits of a coded hash. */
const WORD = 5;
const WORD_PAIR = 6;

/** Whether a model with this spec reads words (and so needs the text segmented). */
export const readsWords = (spec: FeatureSpec): boolean => spec.words === true;

/** Whether a model with this spec reads pairs of adjacent words. */
export const readsWordPairs = (spec: FeatureSpec): boolean => readsWords(spec) && spec.wordPairs === true;

export interface Features {
  index: Int32Array;
  /** Unit length. */
  values: Float64Array;
}

const SPACE = 32;

/** One character code folded: CJK and ASCII letters and digits kept (digits as 0, letters lower case), the rest a space. */
function foldCode(c: number): number {
  if (c >= 0x4e00 && c <= 0x9fff) return c;
  if (c >= 48 && c <= 57) return 48;
  if (c >= 97 && c <= 122) return c;
  if (c >= 65 && c <= 90) return c + 32;
  return SPACE;
}

function fold(text: string): Uint16Array {
  const out = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = foldCode(text.charCodeAt(i));
  return out;
}

/** FNV-1a of a word's folded characters, or null for a word of punctuation and spaces alone. */
function wordHash(word: string): number | null {
  let h = 0x811c9dc5;
  let kept = 0;
  for (let i = 0; i < word.length; i++) {
    const c = foldCode(word.charCodeAt(i));
    if (c === SPACE) continue;
    h = Math.imul(h ^ c, 0x01000193);
    kept++;
  }
  return kept === 0 ? null : h >>> 0;
}

const code = (hash: number, kind: number): number => ((hash >>> 0) + kind * 0x9e3779b1) * 8 + kind;

/**
 * Every n-gram of the text as a number (FNV-1a of its characters, with its length mixed in so that a bigram
 * never shares a bucket with a trigram by design), then every word and (unless `pairs` is false, for models
 * that read none) pair of adjacent words when the words are given; taken modulo a model's bucket count.
 * Computed once per message and shared by the coarse and the fine model.
 */
export function gramHashes(text: string, maxGram: number, words?: readonly string[], pairs = true): number[] {
  const folded = fold(text);
  const out: number[] = [];
  for (let i = 0; i < folded.length; i++) {
    if (folded[i] === SPACE) continue;
    // 32-bit FNV-1a, extended one character at a time: the n-gram's hash is the (n-1)-gram's, continued.
    let h = 0x811c9dc5;
    for (let n = 1; n <= maxGram && i + n <= folded.length; n++) {
      const c = folded[i + n - 1] as number;
      if (c === SPACE) break;
      h = Math.imul(h ^ c, 0x01000193);
      out.push(code(h, n));
    }
  }
  if (words) {
    let previous: number | null = null;
    for (const word of words) {
      const h = wordHash(word);
      if (h === null) continue;
      out.push(code(h, WORD));
      if (pairs && previous !== null) out.push(code(Math.imul(previous ^ h, 0x01000193) ^ (previous >>> 7), WORD_PAIR));
      previous = h;
    }
  }
  return out;
}

function readsKind(kind: number, spec: FeatureSpec): boolean {
  if (kind === WORD) return spec.words === true;
  if (kind === WORD_PAIR) return spec.words === true && spec.wordPairs === true;
  return kind <= spec.maxGram;
}

/** Bit k set when the spec reads grams of kind k (the low 3 bits of a coded hash). */
function kindsRead(spec: FeatureSpec): number {
  let kinds = 0;
  for (let kind = 0; kind < 8; kind++) if (readsKind(kind, spec)) kinds |= 1 << kind;
  return kinds;
}

// A power-of-two bucket count is the low bits of the hash (its integer part fits 2^53, so >>> 0 is exact mod 2^32).
const bucketMask = (buckets: number): number => ((buckets & (buckets - 1)) === 0 ? buckets - 1 : -1);

/** The bucket of a coded gram hash, or -1 for a gram of a kind the model does not read (`kinds`: kindsRead). */
function bucketOf(coded: number, kinds: number, mask: number, buckets: number): number {
  const hash = Math.floor(coded / 8);
  if (((kinds >>> (coded - hash * 8)) & 1) === 0) return -1;
  return mask >= 0 ? (hash >>> 0) & mask : hash % buckets;
}

/** Buckets the grams touch (grams of a kind the spec does not read are skipped), with their counts. */
export function bucketCounts(text: string | readonly number[], spec: FeatureSpec): Map<number, number> {
  const hashes = typeof text === 'string' ? gramHashes(text, spec.maxGram) : text;
  const counts = new Map<number, number>();
  const kinds = kindsRead(spec);
  const mask = bucketMask(spec.buckets);
  for (const coded of hashes) {
    const bucket = bucketOf(coded, kinds, mask, spec.buckets);
    if (bucket < 0) continue;
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  return counts;
}

/** The text's feature vector: binary or TF-IDF over hashed n-grams, scaled to unit length. */
export function featuresOf(text: string | readonly number[], spec: FeatureSpec, idf?: ArrayLike<number>): Features {
  const counts = bucketCounts(text, spec);
  const index = Int32Array.from(counts.keys());
  const values = new Float64Array(index.length);
  let norm = 0;
  for (let i = 0; i < index.length; i++) {
    const b = index[i] as number;
    const v = spec.tfidf ? (counts.get(b) ?? 0) * (idf ? (idf[b] as number) : 1) : 1;
    values[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / norm;
  return { index, values };
}

/**
 * What a model reads of a message without a Map or fresh arrays: `featuresOf`'s buckets in the same order
 * (first touched first) with their counts, kept for the next message. Buckets are found through a small
 * open-addressing table sized to the message, not to the model's buckets, so that it stays in the fastest
 * cache. The straightforward `featuresOf` stays what training reads and what the parity test checks the
 * model's sums against.
 */
export class FeatureScratch {
  /** Bucket + 1 per slot; 0 is an empty slot. */
  private slots = new Int32Array(0);
  private featureAt = new Int32Array(0);
  private slotOf = new Int32Array(0);
  /** A bit per bucket, for `distinctBuckets`: all zero between messages. */
  private seen = new Int32Array(0);
  /** 32 minus log2 of the slot count: the shift that turns a multiplicative hash into a slot. */
  private shift = 32;
  index = new Int32Array(0);
  counts = new Int32Array(0);
  /** Room for the caller's feature values. */
  values = new Float64Array(0);

  /** Room for `size` distinct features, in a table at most half full. */
  grow(size: number): void {
    if (size > this.index.length) {
      const length = Math.max(size, this.index.length * 2, 256);
      this.index = new Int32Array(length);
      this.counts = new Int32Array(length);
      this.values = new Float64Array(length);
      this.slotOf = new Int32Array(length);
    }
    if (2 * size > this.slots.length) {
      let slots = 1024;
      while (slots < 2 * size) slots *= 2;
      this.slots = new Int32Array(slots);
      this.featureAt = new Int32Array(slots);
      this.shift = 32 - Math.log2(slots);
    }
  }

  /**
   * Counts the buckets of the grams the spec reads into `index` (first touched first) and `counts`;
   * returns how many distinct buckets. The table is left empty for the next message.
   */
  countBuckets(hashes: readonly number[], spec: FeatureSpec): number {
    this.grow(hashes.length);
    const { slots, featureAt, slotOf, index, counts, shift } = this;
    const { buckets } = spec;
    const kinds = kindsRead(spec);
    const wrap = slots.length - 1;
    const mask = bucketMask(buckets);
    let n = 0;
    for (let i = 0; i < hashes.length; i++) {
      const bucket = bucketOf(hashes[i] as number, kinds, mask, buckets);
      if (bucket < 0) continue;
      let slot = Math.imul(bucket, 0x9e3779b1) >>> shift;
      let held = slots[slot] as number;
      while (held !== 0 && held !== bucket + 1) {
        slot = (slot + 1) & wrap;
        held = slots[slot] as number;
      }
      if (held === 0) {
        slots[slot] = bucket + 1;
        featureAt[slot] = n;
        slotOf[n] = slot;
        index[n] = bucket;
        counts[n] = 1;
        n++;
      } else {
        const f = featureAt[slot] as number;
        counts[f] = (counts[f] as number) + 1;
      }
    }
    for (let f = 0; f < n; f++) slots[slotOf[f] as number] = 0;
    return n;
  }

  /**
   * `countBuckets` without the counts (for a model whose features are 1 however often a gram occurs): a bit
   * per bucket tells the first touch, and a model's bits fit in the fastest caches.
   */
  distinctBuckets(hashes: readonly number[], spec: FeatureSpec): number {
    this.grow(hashes.length);
    const { buckets } = spec;
    if (this.seen.length * 32 < buckets) this.seen = new Int32Array(Math.ceil(buckets / 32));
    const { seen, index } = this;
    const kinds = kindsRead(spec);
    const mask = bucketMask(buckets);
    let n = 0;
    for (let i = 0; i < hashes.length; i++) {
      const bucket = bucketOf(hashes[i] as number, kinds, mask, buckets);
      if (bucket < 0) continue;
      const word = bucket >>> 5;
      const bit = 1 << (bucket & 31);
      const bits = seen[word] as number;
      if ((bits & bit) === 0) {
        seen[word] = bits | bit;
        index[n++] = bucket;
      }
    }
    for (let f = 0; f < n; f++) seen[(index[f] as number) >>> 5] = 0;
    return n;
  }
}

const IDF_STEP = 20;

/** Smooth inverse document frequency per bucket (as scikit-learn computes it), quantised for storage. */
export function fitIdf(texts: ReadonlyArray<string | readonly number[]>, spec: FeatureSpec): string {
  const df = new Uint32Array(spec.buckets);
  for (const t of texts) for (const b of bucketCounts(t, spec).keys()) df[b] = (df[b] as number) + 1;
  const q = new Uint8Array(spec.buckets);
  for (let b = 0; b < spec.buckets; b++) {
    const idf = Math.log((1 + texts.length) / (1 + (df[b] as number))) + 1;
    q[b] = Math.min(255, Math.round((idf - 1) * IDF_STEP));
  }
  return Buffer.from(q.buffer).toString('base64');
}

export function decodeIdf(encoded: string): Float32Array {
  const bytes = idfCodes(encoded);
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = 1 + (bytes[i] as number) / IDF_STEP;
  return out;
}

/** The quantised idf per bucket as stored, one byte each (`idfLevels` turns a byte into its idf). */
export function idfCodes(encoded: string): Uint8Array {
  const bytes = Buffer.from(encoded, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The idf of each of the 256 byte values: exactly `decodeIdf`'s (rounded to a Float32 as its array stores them). */
export function idfLevels(): Float64Array {
  return Float64Array.from({ length: 256 }, (_, q) => Math.fround(1 + q / IDF_STEP));
}
