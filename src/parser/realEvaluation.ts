import { expectedCalibrationError } from './learned/calibration';
import type { ParsedReport } from './types';
import { formatShare } from './uncertainty';

/** A real message labelled with our codes (test/fixtures/tipdm-dev-*.jsonl). */
export interface RealLabelled {
  text: string;
  category: string;
  department: string;
}

/** `right` of `of` rows: the count behind a share, for its interval. */
export interface Count {
  right: number;
  of: number;
}

export interface RealMeasures {
  total: number;
  /** Each share as the count behind it (for its interval). */
  counts: {
    category: Count;
    /** Of messages whose problem a category covers (label is not `other`): category right. */
    covered: Count;
    /** Of messages no department handles (label `other`): answered `other`. */
    otherRecall: Count;
    leadDepartment: Count;
    /** Right among messages at or above the auto-dispatch threshold (and not `other`). */
    autoPrecision: Count;
    /** Of messages a category covers: dispatched without a person (confidence ≥ threshold, not `other`). */
    autoCoverage: Count;
  };
  answeredOther: number;
  expectedOther: number;
  threshold: number;
  ece: number;
  medianConfidenceRight: number;
  medianConfidenceWrong: number;
  confusion: Map<string, Map<string, number>>;
}

const ratio = (n: number, d: number): number => (d === 0 ? 1 : n / d);

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export function measureReal(rows: readonly RealLabelled[], parse: (text: string) => ParsedReport, threshold: number): RealMeasures {
  let category = 0;
  let coveredN = 0;
  let coveredOk = 0;
  let otherN = 0;
  let otherOk = 0;
  let lead = 0;
  let answeredOther = 0;
  let autoN = 0;
  let autoOk = 0;
  let autoCovered = 0;
  const scored: Array<{ confidence: number; correct: boolean }> = [];
  const confusion = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const parsed = parse(row.text);
    const right = parsed.category === row.category;
    const line = confusion.get(row.category) ?? new Map<string, number>();
    line.set(parsed.category, (line.get(parsed.category) ?? 0) + 1);
    confusion.set(row.category, line);
    if (right) category++;
    if (parsed.departments[0] === row.department) lead++;
    if (parsed.category === 'other') answeredOther++;
    if (row.category === 'other') {
      otherN++;
      if (right) otherOk++;
    } else {
      coveredN++;
      if (right) coveredOk++;
    }
    const auto = parsed.category !== 'other' && parsed.confidence >= threshold;
    if (auto) {
      autoN++;
      if (right) autoOk++;
      if (row.category !== 'other') autoCovered++;
    }
    scored.push({ confidence: parsed.confidence, correct: right });
  }
  return {
    total: rows.length,
    counts: {
      category: { right: category, of: rows.length },
      covered: { right: coveredOk, of: coveredN },
      otherRecall: { right: otherOk, of: otherN },
      leadDepartment: { right: lead, of: rows.length },
      autoPrecision: { right: autoOk, of: autoN },
      autoCoverage: { right: autoCovered, of: coveredN },
    },
    answeredOther: ratio(answeredOther, rows.length),
    expectedOther: ratio(otherN, rows.length),
    threshold,
    ece: expectedCalibrationError(scored),
    medianConfidenceRight: median(scored.filter((s) => s.correct).map((s) => s.confidence)),
    medianConfidenceWrong: median(scored.filter((s) => !s.correct).map((s) => s.confidence)),
    confusion,
  };
}

const f3 = (x: number): string => x.toFixed(3);
/** A count as `formatShare` prints it: the share, right/of, and its interval. */
export const formatCount = (c: Count): string => formatShare(c.right, c.of);

export function formatRealMeasures(name: string, m: RealMeasures): string {
  const lines = [
    `== ${name}: ${m.total} real messages`,
    `real messages: category, all rows                     ${formatCount(m.counts.category)}   (target ≥ 0.85)`,
    `real messages whose problem a category covers         ${formatCount(m.counts.covered)}   (target ≥ 0.90)`,
    `real messages no department handles → other          ${formatCount(m.counts.otherRecall)}   (target ≥ 0.80)`,
    `real messages: lead department (departments[0])       ${formatCount(m.counts.leadDepartment)}   (target ≥ 0.85)`,
    `real messages answered other                          ${f3(m.answeredOther)}   (${f3(m.expectedOther)} expected)`,
    `confidence ≥ ${m.threshold} (auto-dispatch): share right        ${formatCount(m.counts.autoPrecision)}   (target ≥ 0.97)`,
    `  messages a category covers dispatched without a person ${formatCount(m.counts.autoCoverage)}   (target ≥ 0.60)`,
    `calibration error (ECE, 10 bins)                      ${f3(m.ece)}`,
    `median confidence: right ${f3(m.medianConfidenceRight)}, wrong ${f3(m.medianConfidenceWrong)}`,
    'category confusion (expected: right/total, then wrong predictions):',
  ];
  for (const [expected, row] of [...m.confusion.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const total = [...row.values()].reduce((s, n) => s + n, 0);
    const wrong = [...row.entries()].filter(([g]) => g !== expected).map(([g, n]) => `${g}×${n}`);
    lines.push(`  ${expected.padEnd(22)}${`${row.get(expected) ?? 0}/${total}`.padStart(7)}  ${wrong.join(' ')}`);
  }
  return lines.join('\n');
}
