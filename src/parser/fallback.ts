/**
 * A character-bigram naive Bayes model learnt from labelled example messages (config/parser/examples.json).
 * The keyword rules decide; this only speaks when they find no problem word at all, so a message worded in a
 * way no vocabulary list foresaw (偷偷搭了个铁皮屋) still gets a category.
 */
export interface Example {
  text: string;
  category: string;
}

export interface FallbackGuess {
  category: string;
  /** Log-probability lead over the runner-up. */
  margin: number;
}

const NOISE = /[^\u4e00-\u9fff]/g;

function bigrams(text: string): string[] {
  const clean = text.replace(NOISE, '');
  const grams: string[] = [];
  for (let i = 0; i + 1 < clean.length; i++) grams.push(clean.slice(i, i + 2));
  return grams;
}

const CJK_FIRST = 0x4e00;
const CJK_COUNT = 0x9fff - CJK_FIRST + 1;
/** Two CJK characters as one integer below 2^30 (a small integer V8 hashes fast). */
const gramKey = (a: number, b: number): number => (a - CJK_FIRST) * CJK_COUNT + (b - CJK_FIRST);

export class BigramClassifier {
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly totals = new Map<string, number>();
  private readonly priors = new Map<string, number>();
  private readonly vocabularySize: number;
  /** Per category, what `guess` adds: its log prior, the log probability of each bigram seen, and of one unseen. */
  private readonly logs: Array<{ category: string; prior: number; seen: Map<string, number>; unseen: number }>;
  /**
   * The same logs by bigram: for each bigram seen in any example (keyed by its two characters as one small integer),
   * what each category adds for it, in the order of `logs` (a category that never saw it adds its `unseen`).
   * One lookup per gram instead of one per gram and category.
   */
  private readonly byGram = new Map<number, number>();
  /** The rows `byGram` points into, one after another (category-minor); row 0 is every category's `unseen`. */
  private readonly table: Float64Array;
  /** Where the rows of one text's bigrams start in `table`, reused from call to call. */
  private offsets = new Int32Array(256);

  constructor(examples: readonly Example[], normalize: (text: string) => string) {
    const vocabulary = new Set<string>();
    for (const { text, category } of examples) {
      this.priors.set(category, (this.priors.get(category) ?? 0) + 1);
      const table = this.counts.get(category) ?? new Map<string, number>();
      for (const gram of bigrams(normalize(text))) {
        table.set(gram, (table.get(gram) ?? 0) + 1);
        this.totals.set(category, (this.totals.get(category) ?? 0) + 1);
        vocabulary.add(gram);
      }
      this.counts.set(category, table);
    }
    this.vocabularySize = Math.max(1, vocabulary.size);
    // The same Math.log of the same quotients guess would compute per gram, computed once.
    const exampleCount = [...this.priors.values()].reduce((a, b) => a + b, 0);
    this.logs = [...this.priors].map(([category, prior]) => {
      const table = this.counts.get(category);
      const denominator = (this.totals.get(category) ?? 0) + this.vocabularySize;
      const seen = new Map<string, number>();
      for (const [gram, count] of table ?? []) seen.set(gram, Math.log((count + 1) / denominator));
      return { category, prior: Math.log(prior / exampleCount), seen, unseen: Math.log(1 / denominator) };
    });
    const C = this.logs.length;
    const grams = new Set<string>();
    for (const { seen } of this.logs) for (const gram of seen.keys()) grams.add(gram);
    this.table = new Float64Array((grams.size + 1) * C);
    this.logs.forEach(({ unseen }, c) => (this.table[c] = unseen));
    let row = 0;
    for (const gram of grams) {
      row += C;
      this.byGram.set(gramKey(gram.charCodeAt(0), gram.charCodeAt(1)), row);
      this.logs.forEach(({ seen, unseen }, c) => (this.table[row + c] = seen.get(gram) ?? unseen));
    }
  }

  guess(text: string): FallbackGuess | null {
    if (this.priors.size < 2) return null;
    const { logs, byGram, table } = this;
    const C = logs.length;
    if (this.offsets.length < text.length) this.offsets = new Int32Array(text.length);
    const offsets = this.offsets;
    // The bigrams of the text's CJK characters alone (what `bigrams` reads), in order.
    let grams = 0;
    let previous = -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x4e00 || c > 0x9fff) continue;
      if (previous >= 0) offsets[grams++] = byGram.get(gramKey(previous, c)) ?? 0;
      previous = c;
    }
    if (grams === 0) return null;
    // Each category's score adds the same logs in the same order as a per-category loop over `bigrams(text)`
    // would, so the sums are the same to the bit; four categories at a time, their sums in locals.
    const scores = new Float64Array(C);
    let k = 0;
    for (; k + 4 <= C; k += 4) {
      let s0 = logs[k]?.prior ?? 0;
      let s1 = logs[k + 1]?.prior ?? 0;
      let s2 = logs[k + 2]?.prior ?? 0;
      let s3 = logs[k + 3]?.prior ?? 0;
      for (let j = 0; j < grams; j++) {
        const at = (offsets[j] as number) + k;
        s0 += table[at] as number;
        s1 += table[at + 1] as number;
        s2 += table[at + 2] as number;
        s3 += table[at + 3] as number;
      }
      scores[k] = s0;
      scores[k + 1] = s1;
      scores[k + 2] = s2;
      scores[k + 3] = s3;
    }
    for (; k < C; k++) {
      let sum = logs[k]?.prior ?? 0;
      for (let j = 0; j < grams; j++) sum += table[(offsets[j] as number) + k] as number;
      scores[k] = sum;
    }
    const scored: Array<[string, number]> = logs.map(({ category }, k) => [category, scores[k] as number]);
    scored.sort((a, b) => b[1] - a[1]);
    const [top, second] = scored;
    if (!top || !second) return null;
    return { category: top[0], margin: top[1] - second[1] };
  }
}
