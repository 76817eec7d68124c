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

const SPACE = 32;

/** The text as character codes: CJK and ASCII letters and digits kept (digits as 0, letters lower case), the rest a space. */
function fold(text: string): Uint16Array {
  const out = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fff) out[i] = c;
    else if (c >= 48 && c <= 57) out[i] = 48;
    else if (c >= 97 && c <= 122) out[i] = c;
    else if (c >= 65 && c <= 90) out[i] = c + 32;
    else out[i] = SPACE;
  }
  return out;
}

/**
 * Every n-gram of the text as a number (FNV-1a of its characters, with its length mixed in so that a bigram
 * never shares a bucket with a trigram by design); taken modulo a model's bucket count. Computed once per
 * message and shared by the coarse and the fine model.
 */
export function gramHashes(text: string, maxGram: number): number[] {
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
      out.push(((h >>> 0) + n * 0x9e3779b1) * 8 + n);
    }
  }
  return out;
}

/** Buckets the grams touch (grams longer than the spec's are skipped), with their counts. */
export function bucketCounts(text: string | readonly number[], spec: FeatureSpec): Map<number, number> {
  const hashes = typeof text === 'string' ? gramHashes(text, spec.maxGram) : text;
  const counts = new Map<number, number>();
  for (const coded of hashes) {
    if (coded % 8 > spec.maxGram) continue;
    const bucket = Math.floor(coded / 8) % spec.buckets;
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
