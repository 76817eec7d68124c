/**
 * npm run bench:parser-baseline — the parser against a TF-IDF (character 1–3-gram) + logistic-regression
 * classifier on the tipdm data set's 7 coarse labels, side by side.
 *   - Baseline: trained on train_seg.tsv.gz only (7,659 rows; no dev or eval row is among them), TF-IDF as
 *     scikit-learn's TfidfVectorizer(analyzer='char', ngram_range=(1, 3)) computes it (raw counts, smooth idf,
 *     unit length), multinomial logistic regression (L2) fitted by the same AdaGrad optimiser the parser uses.
 *   - Parser: its category mapped to a coarse label by config/parser/coarse-labels.json unless its coarse-answer
 *     model (squared-hinge SVMs, also trained on train_seg only) gives that label less than the minimum `parser:train` fitted on
 *     out-of-fold tune letters; for `other` that model answers (src/parser/coarse.ts).
 *   - Scored on the labelled dev holdout (never trained or tuned on), with a paired-bootstrap interval of the
 *     ratio (253 letters: one letter is 0.4 %), and, for reference, on every dev row (the tune rows among them
 *     trained the parser's fine model, not the coarse one); then on the tune letters out of fold (the parser's
 *     figure from its training metrics, the baseline's on the same letters).
 */
import coarseTable from '../config/parser/coarse-labels.json';
import { baseModel, normalizeReportText, parseReport } from '../src/parser';
import { coarseLabelOf, DEFAULT_MAPPED_MIN_PROBABILITY } from '../src/parser/coarse';
import { trainSoftmax, type SparseRow } from '../src/parser/learned/train';
import { realHoldout, tipdmDevRows, tipdmTrainSeg } from '../scripts/parser/data';
import { baseFineRows } from '../scripts/parser/trainingRows';
import { LETTER_MIN_CHARS } from '../src/parser/learned/pipeline';
import { formatShare, pairedRatioInterval } from '../src/parser/uncertainty';

const LABELS: readonly string[] = coarseTable.labels;

function grams(text: string): string[] {
  const clean = text.replace(/\s+/g, '');
  const out: string[] = [];
  for (let i = 0; i < clean.length; i++) for (let n = 1; n <= 3 && i + n <= clean.length; n++) out.push(clean.slice(i, i + n));
  return out;
}

class TfidfLogReg {
  private readonly vocabulary = new Map<string, number>();
  private idf = new Float64Array(0);
  private w: Float32Array = new Float32Array(0);
  private bias: Float64Array = new Float64Array(0);

  fit(rows: ReadonlyArray<{ text: string; label: string }>): void {
    const df = new Map<string, number>();
    const docs = rows.map((r) => grams(r.text));
    for (const g of docs) for (const t of new Set(g)) df.set(t, (df.get(t) ?? 0) + 1);
    for (const t of df.keys()) this.vocabulary.set(t, this.vocabulary.size);
    this.idf = new Float64Array(this.vocabulary.size);
    for (const [t, i] of this.vocabulary) this.idf[i] = Math.log((1 + rows.length) / (1 + (df.get(t) ?? 0))) + 1;
    const sparse: SparseRow[] = docs.map((g, n) => ({ ...this.vector(g), y: LABELS.indexOf(rows[n]?.label ?? ''), weight: 1 }));
    const model = trainSoftmax(sparse, this.vocabulary.size, LABELS.length, { epochs: 10, learningRate: 0.3, l2: 1e-7, seed: 7 });
    this.w = model.w;
    this.bias = model.bias;
  }

  private vector(g: readonly string[]): { index: Int32Array; values: Float64Array } {
    const counts = new Map<number, number>();
    for (const t of g) {
      const i = this.vocabulary.get(t);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const index = Int32Array.from(counts.keys());
    const values = Float64Array.from(index, (i) => (counts.get(i) ?? 0) * (this.idf[i] as number));
    const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0)) || 1;
    for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / norm;
    return { index, values };
  }

  predict(text: string): string {
    const { index, values } = this.vector(grams(text));
    const width = this.vocabulary.size;
    let best = 0;
    let bestScore = -Infinity;
    for (let k = 0; k < LABELS.length; k++) {
      let s = this.bias[k] as number;
      for (let i = 0; i < index.length; i++) s += (this.w[k * width + (index[i] as number)] as number) * (values[i] as number);
      if (s > bestScore) {
        bestScore = s;
        best = k;
      }
    }
    return LABELS[best] as string;
  }
}

export function parserCoarse(text: string): string | null {
  return coarseLabelOf(parseReport({ text }), coarseTable, baseModel().coarseAnswer?.mappedMinProbability ?? DEFAULT_MAPPED_MIN_PROBABILITY);
}

function main(): void {
  const started = Date.now();
  const train = tipdmTrainSeg();
  const baseline = new TfidfLogReg();
  baseline.fit(train.map((r) => ({ text: normalizeReportText(r.text), label: r.label })));
  console.log(`baseline trained on ${train.length} train_seg rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const holdoutIds = new Set(realHoldout().map((r) => r.id));
  const dev = tipdmDevRows();
  const sets = [
    { name: 'labelled dev holdout (never trained or tuned on)', rows: dev.filter((r) => holdoutIds.has(r.id)) },
    { name: 'every dev row (reference; tune rows trained the fine model)', rows: dev },
  ];
  for (const set of sets) {
    const baseRight = set.rows.map((row) => baseline.predict(normalizeReportText(row.text)) === row.label);
    const parserRight = set.rows.map((row) => parserCoarse(row.text) === row.label);
    const b = baseRight.filter(Boolean).length;
    const p = parserRight.filter(Boolean).length;
    const interval = pairedRatioInterval(parserRight, baseRight);
    const onlyParser = parserRight.filter((right, i) => right && !baseRight[i]).length;
    const onlyBaseline = baseRight.filter((right, i) => right && !parserRight[i]).length;
    console.log(`== ${set.name}: ${set.rows.length} rows, 7 coarse labels`);
    console.log(`  parser                                   ${formatShare(p, set.rows.length)}`);
    console.log(`  TF-IDF char 1-3 + logistic regression    ${formatShare(b, set.rows.length)}`);
    console.log(`  ratio parser/baseline                    ${(p / b).toFixed(3)}   (target ≥ 1.0; paired bootstrap 95 % ${interval.low.toFixed(3)}–${interval.high.toFixed(3)})`);
    console.log(`  rows only the parser gets right ${onlyParser}, only the baseline ${onlyBaseline}`);
  }
  // The tune letters trained the parser's fine model, so its figure on them comes from its own training, out of
  // fold (each letter answered by a model that never saw it), on the letters it weighs as letters; the baseline
  // never saw them either.
  const metrics = baseModel().metrics;
  const outOfFold = metrics['letters.outOfFoldCoarse'];
  if (outOfFold !== undefined) {
    const tune = baseFineRows().filter((r) => r.group === 'real' && r.coarse !== undefined && r.text.length >= LETTER_MIN_CHARS);
    const baseRight = tune.filter((r) => baseline.predict(r.text) === r.coarse).length;
    const base = baseRight / tune.length;
    console.log(`== labelled dev tune letters, out of fold: ${tune.length} rows`);
    console.log(`  parser (out of fold, from parser:train)  ${outOfFold.toFixed(3)}`);
    console.log(`  TF-IDF char 1-3 + logistic regression    ${formatShare(baseRight, tune.length)}`);
    console.log(`  ratio parser/baseline                    ${(outOfFold / base).toFixed(3)}`);
  }
}

if (require.main === module) main();
