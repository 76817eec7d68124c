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

export class BigramClassifier {
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly totals = new Map<string, number>();
  private readonly priors = new Map<string, number>();
  private readonly vocabularySize: number;
  /** Per category, what `guess` adds: its log prior, the log probability of each bigram seen, and of one unseen. */
  private readonly logs: Array<{ category: string; prior: number; seen: Map<string, number>; unseen: number }>;
  /**
   * The same logs by bigram: for each bigram seen in any example (keyed by its two code units as one number),
   * what each category adds for it, in the order of `logs` (a category that never saw it adds its `unseen`).
   * One lookup per gram instead of one per gram and category.
   */
  private readonly byGram = new Map<number, Float64Array>();
  private readonly unseen: Float64Array;

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
    this.unseen = Float64Array.from(this.logs, (l) => l.unseen);
    this.logs.forEach(({ seen }, c) => {
      for (const [gram, log] of seen) {
        const key = gram.charCodeAt(0) * 0x10000 + gram.charCodeAt(1);
        let row = this.byGram.get(key);
        if (!row) {
          row = Float64Array.from(this.unseen);
          this.byGram.set(key, row);
        }
        row[c] = log;
      }
    });
  }

  guess(text: string): FallbackGuess | null {
    if (this.priors.size < 2) return null;
    const { logs, byGram, unseen } = this;
    const C = logs.length;
    const scores = Float64Array.from(logs, (l) => l.prior);
    // The bigrams of the text's CJK characters alone (what `bigrams` reads), in order: each category's score
    // adds the same logs in the same order as a per-category loop over `bigrams(text)` would.
    let previous = -1;
    let grams = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x4e00 || c > 0x9fff) continue;
      if (previous >= 0) {
        const row = byGram.get(previous * 0x10000 + c) ?? unseen;
        for (let k = 0; k < C; k++) scores[k] = (scores[k] as number) + (row[k] as number);
        grams++;
      }
      previous = c;
    }
    if (grams === 0) return null;
    const scored: Array<[string, number]> = logs.map(({ category }, k) => [category, scores[k] as number]);
    scored.sort((a, b) => b[1] - a[1]);
    const [top, second] = scored;
    if (!top || !second) return null;
    return { category: top[0], margin: top[1] - second[1] };
  }
}
