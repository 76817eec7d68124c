import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BigramClassifier, type Example } from '../../../src/parser/fallback';
import { defaultVocab } from '../../../src/parser/vocab';

const fixture = (file: string): string[] =>
  readFileSync(join(__dirname, '../../fixtures', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text);

/** Naive Bayes as written down: counts per category, Laplace smoothing, a log per gram at guess time. */
function straightforwardGuess(examples: readonly Example[], text: string): { category: string; margin: number } | null {
  const bigrams = (t: string): string[] => {
    const clean = t.replace(/[^\u4e00-\u9fff]/g, '');
    return Array.from({ length: Math.max(0, clean.length - 1) }, (_x, i) => clean.slice(i, i + 2));
  };
  const counts = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const priors = new Map<string, number>();
  const vocabulary = new Set<string>();
  for (const { text: t, category } of examples) {
    priors.set(category, (priors.get(category) ?? 0) + 1);
    const table = counts.get(category) ?? new Map<string, number>();
    for (const gram of bigrams(t)) {
      table.set(gram, (table.get(gram) ?? 0) + 1);
      totals.set(category, (totals.get(category) ?? 0) + 1);
      vocabulary.add(gram);
    }
    counts.set(category, table);
  }
  const grams = bigrams(text);
  if (grams.length === 0 || priors.size < 2) return null;
  const exampleCount = [...priors.values()].reduce((a, b) => a + b, 0);
  const scored = [...priors].map(([category, prior]): [string, number] => {
    const denominator = (totals.get(category) ?? 0) + Math.max(1, vocabulary.size);
    let score = Math.log(prior / exampleCount);
    for (const gram of grams) score += Math.log(((counts.get(category)?.get(gram) ?? 0) + 1) / denominator);
    return [category, score];
  });
  scored.sort((a, b) => b[1] - a[1]);
  const [top, second] = scored;
  return top && second ? { category: top[0], margin: top[1] - second[1] } : null;
}

describe('BigramClassifier', () => {
  it('guesses what the straightforward naive Bayes guesses, margin to the bit', () => {
    const examples = defaultVocab.examples;
    const model = new BigramClassifier(examples, (t) => t);
    const sample = [
      ...fixture('parser-messages.jsonl').filter((_t, i) => i % 10 === 0),
      ...fixture('tipdm-dev-holdout.jsonl').filter((_t, i) => i % 10 === 0),
      '',
      'ok',
      '偷偷搭了个铁皮屋',
    ];
    for (const text of sample) expect(model.guess(text)).toEqual(straightforwardGuess(examples, text));
  });
});
