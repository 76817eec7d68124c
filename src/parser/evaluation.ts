import { URGENCIES } from '../taxonomy';
import type { ParsedReport } from './types';

/** One labelled message of test/fixtures/parser-*.jsonl. */
export interface LabelledMessage {
  text: string;
  category: string;
  urgency: string;
  /** Expected substring of the (normalised) text, or null when the text names no place. */
  location: string | null;
}

export interface Miss {
  text: string;
  field: 'category' | 'urgency' | 'location';
  expected: string | null;
  got: string | null;
}

export interface EvaluationResult {
  total: number;
  categoryAccuracy: number;
  urgencyAccuracy: number;
  /** Of messages that name a place: the parser found an overlapping place. */
  locationFound: number;
  /** Of messages that name a place: the parser found exactly that text. */
  locationExact: number;
  /** Of messages that name no place: the parser said null. */
  locationNullCorrect: number;
  categoryConfusion: Map<string, Map<string, number>>;
  urgencyConfusion: Map<string, Map<string, number>>;
  misses: Miss[];
}

function bump(table: Map<string, Map<string, number>>, expected: string, got: string): void {
  const row = table.get(expected) ?? new Map<string, number>();
  row.set(got, (row.get(got) ?? 0) + 1);
  table.set(expected, row);
}

const ratio = (n: number, d: number): number => (d === 0 ? 1 : n / d);

export function evaluate(
  rows: readonly LabelledMessage[],
  parse: (text: string) => ParsedReport,
  normalize: (text: string) => string,
): EvaluationResult {
  let category = 0;
  let urgency = 0;
  let withPlace = 0;
  let found = 0;
  let exact = 0;
  let withoutPlace = 0;
  let nullCorrect = 0;
  const categoryConfusion = new Map<string, Map<string, number>>();
  const urgencyConfusion = new Map<string, Map<string, number>>();
  const misses: Miss[] = [];
  for (const row of rows) {
    const parsed = parse(row.text);
    bump(categoryConfusion, row.category, parsed.category);
    bump(urgencyConfusion, row.urgency, parsed.urgency);
    if (parsed.category === row.category) category++;
    else misses.push({ text: row.text, field: 'category', expected: row.category, got: parsed.category });
    if (parsed.urgency === row.urgency) urgency++;
    else misses.push({ text: row.text, field: 'urgency', expected: row.urgency, got: parsed.urgency });
    const expected = row.location === null ? null : normalize(row.location);
    const got = parsed.location;
    if (expected === null) {
      withoutPlace++;
      if (got === null) nullCorrect++;
      else misses.push({ text: row.text, field: 'location', expected, got });
      continue;
    }
    withPlace++;
    if (got !== null && (got.includes(expected) || expected.includes(got))) found++;
    if (got === expected) exact++;
    else misses.push({ text: row.text, field: 'location', expected, got });
  }
  return {
    total: rows.length,
    categoryAccuracy: ratio(category, rows.length),
    urgencyAccuracy: ratio(urgency, rows.length),
    locationFound: ratio(found, withPlace),
    locationExact: ratio(exact, withPlace),
    locationNullCorrect: ratio(nullCorrect, withoutPlace),
    categoryConfusion,
    urgencyConfusion,
    misses,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function formatEvaluation(name: string, r: EvaluationResult): string {
  const lines = [
    `== ${name}: ${r.total} messages`,
    `category            ${pct(r.categoryAccuracy)}`,
    `urgency             ${pct(r.urgencyAccuracy)}`,
    `location found      ${pct(r.locationFound)}   (expected place, parser found an overlapping one)`,
    `location exact      ${pct(r.locationExact)}`,
    `location null ok    ${pct(r.locationNullCorrect)}   (no place in text, parser said null)`,
    '',
    'urgency confusion (rows expected, columns got):',
    `${'expected'.padEnd(10)}${URGENCIES.map((u) => u.padStart(10)).join('')}`,
    ...URGENCIES.map(
      (u) => `${u.padEnd(10)}${URGENCIES.map((g) => String(r.urgencyConfusion.get(u)?.get(g) ?? 0).padStart(10)).join('')}`,
    ),
    '',
    'category confusion (expected: right/total, then wrong predictions):',
  ];
  for (const [expected, row] of [...r.categoryConfusion.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const total = [...row.values()].reduce((s, n) => s + n, 0);
    const right = row.get(expected) ?? 0;
    const wrong = [...row.entries()].filter(([g]) => g !== expected).map(([g, n]) => `${g}×${n}`);
    lines.push(`  ${expected.padEnd(22)}${`${right}/${total}`.padStart(7)}  ${wrong.join(' ')}`);
  }
  return lines.join('\n');
}
