/**
 * Character n-grams of a message, hashed into a fixed number of buckets. Characters, not words: the
 * model needs no segmenter, and letters of 1,000 characters cost one pass. Digits read as one digit
 * class (1101号 and 2203号 look alike); ASCII letters (the data set's A3区) as lower case.
 */
export interface FeatureSpec {
  buckets: number;
  maxGram: number;
  /** Counts weighted by inverse document frequency (else each distinct gram counts 1). */
  tfidf?: boolean;
}

export interface Features {
  index: Int32Array;
  /** Unit length. */
  values: Float64Array;
}

const KEEP = /[\u4e00-\u9fffa-z0-9]/;

function fold(text: string): string {
  let out = '';
  for (const raw of text.toLowerCase()) {
    const ch = raw >= '0' && raw <= '9' ? '0' : raw;
    out += KEEP.test(ch) ? ch : ' ';
  }
  return out;
}

/** 32-bit FNV-1a over UTF-16 code units. */
function hash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Buckets the text touches, with their counts. */
export function bucketCounts(text: string, spec: FeatureSpec): Map<number, number> {
  const folded = fold(text);
  const counts = new Map<number, number>();
  for (let i = 0; i < folded.length; i++) {
    if (folded.charCodeAt(i) === 32) continue;
    for (let n = 1; n <= spec.maxGram && i + n <= folded.length; n++) {
      if (folded.charCodeAt(i + n - 1) === 32) break;
      // The gram length is mixed in so that a bigram never shares a bucket with a trigram by design.
      const bucket = (hash(folded, i, i + n) + n * 0x9e3779b1) % spec.buckets;
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
  }
  return counts;
}

/** The text's feature vector: binary or TF-IDF over hashed n-grams, scaled to unit length. */
export function featuresOf(text: string, spec: FeatureSpec, idf?: ArrayLike<number>): Features {
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

const IDF_STEP = 20;

/** Smooth inverse document frequency per bucket (as scikit-learn computes it), quantised for storage. */
export function fitIdf(texts: readonly string[], spec: FeatureSpec): string {
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
  const bytes = Buffer.from(encoded, 'base64');
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = 1 + (bytes[i] as number) / IDF_STEP;
  return out;
}
