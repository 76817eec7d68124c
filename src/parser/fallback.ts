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
  }

  guess(text: string): FallbackGuess | null {
    const grams = bigrams(text);
    if (grams.length === 0 || this.priors.size < 2) return null;
    const scored: Array<[string, number]> = [];
    for (const { category, prior, seen, unseen } of this.logs) {
      let score = prior;
      for (const gram of grams) score += seen.get(gram) ?? unseen;
      scored.push([category, score]);
    }
    scored.sort((a, b) => b[1] - a[1]);
    const [top, second] = scored;
    if (!top || !second) return null;
    return { category: top[0], margin: top[1] - second[1] };
  }
}
