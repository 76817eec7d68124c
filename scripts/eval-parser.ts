/**
 * npm run parser:eval [-- --errors] [-- file.jsonl ...]
 * Per-field accuracy and confusion tables of the parser on the labelled sets (default: main and holdout).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { normalizeReportText, parseReport } from '../src/parser';
import { evaluate, formatEvaluation, type LabelledMessage } from '../src/parser/evaluation';

const root = join(__dirname, '..');
const args = process.argv.slice(2);
const showErrors = args.includes('--errors');
const files = args.filter((a) => !a.startsWith('--'));
const sets =
  files.length > 0
    ? files
    : ['test/fixtures/parser-messages.jsonl', 'test/fixtures/parser-holdout.jsonl'].filter((f) => existsSync(join(root, f)));

for (const file of sets) {
  const rows = readFileSync(resolve(root, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LabelledMessage);
  const result = evaluate(rows, (text) => parseReport({ text }), normalizeReportText);
  console.log(formatEvaluation(file, result));
  if (showErrors) {
    console.log('\nmisses:');
    for (const m of result.misses) console.log(`  [${m.field}] ${m.text}\n      expected ${m.expected ?? 'null'}, got ${m.got ?? 'null'}`);
  }
  console.log('');
}
