/**
 * Character n-grams of a message, hashed into a fixed number of buckets. Characters, not words: the
 * model needs no segmenter, and letters of 1,000 characters cost one pass. Digits read as one digit
 * class (1101号 and 2203号 look alike); ASCII letters (the data set's A3区) as lower case.
 */
export interface FeatureSpec {
  buckets: number;
  maxGram: number;
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

/** Distinct buckets the text touches, each with weight 1/sqrt(count) (binary features, unit length). */
export function featuresOf(text: string, spec: FeatureSpec): { index: Int32Array; value: number } {
  const folded = fold(text);
  const seen = new Set<number>();
  for (let i = 0; i < folded.length; i++) {
    if (folded.charCodeAt(i) === 32) continue;
    for (let n = 1; n <= spec.maxGram && i + n <= folded.length; n++) {
      if (folded.charCodeAt(i + n - 1) === 32) break;
      // The gram length is mixed in so that a bigram never shares a bucket with a trigram by design.
      seen.add((hash(folded, i, i + n) + n * 0x9e3779b1) % spec.buckets >>> 0);
    }
  }
  const index = Int32Array.from(seen);
  return { index, value: index.length === 0 ? 0 : 1 / Math.sqrt(index.length) };
}
