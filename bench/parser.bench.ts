/**
 * npm run bench:parser — messages per second on one core, over two sets:
 *   - grid: the labelled short WeCom reports (test/fixtures/parser-messages.jsonl), beside a naive keyword-scan
 *     baseline (a loop of String.includes over every category word);
 *   - letters: real citizen letters, the labelled tipdm `dev` rows kept in the repository
 *     (test/fixtures/tipdm-dev-*.jsonl, ~375 characters on average; never the eval rows).
 *
 * `--baseline=<dir>` runs the parser of another checkout (e.g. `git worktree add --detach /tmp/wb-base <rev>`
 * with this checkout's node_modules linked in) in the same process, round by round alternating with this one,
 * and prints this/baseline ratios. `--rounds=N` (default 3), `--seconds=S` (least CPU seconds per round and set,
 * default 2).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { positiveArg } from './args';
import { LearnedClassifier, parseReport, parserModelSchema } from '../src/parser';
import { defaultVocab } from '../src/parser/vocab';

const argv = process.argv.slice(2);
const ROUNDS = positiveArg(argv, 'rounds', 3, true);
const SECONDS = positiveArg(argv, 'seconds', 2);
const baselineDir = argv.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length);

const jsonl = (file: string): string[] =>
  readFileSync(join(__dirname, '..', 'test/fixtures', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text);

const sets: Array<{ name: string; texts: string[] }> = [
  { name: 'grid', texts: jsonl('parser-messages.jsonl') },
  { name: 'letters', texts: [...jsonl('tipdm-dev-tune.jsonl'), ...jsonl('tipdm-dev-holdout.jsonl')] },
];

const baselineWords: Array<[string, string]> = Object.entries(defaultVocab.categories.categories).flatMap(
  ([category, tiers]) => Object.values(tiers).flat().map((w): [string, string] => [w, category]),
);

/** What a first attempt looks like: scan every keyword with includes, first category hit wins. */
function keywordScan(text: string): string {
  for (const [word, category] of baselineWords) if (text.includes(word)) return category;
  return 'other';
}

interface Rate {
  /** Messages per second of this process's own CPU time: what one core does, even on a busy machine. */
  cpu: number;
  /** Messages per second of wall-clock time (lower when other processes share the core). */
  wall: number;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

let sink = 0;

/** One round: the whole set, repeated until SECONDS of CPU time have passed. */
function round(texts: readonly string[], fn: (text: string) => unknown): Rate {
  const wallStart = process.hrtime.bigint();
  const cpuStart = cpuSeconds();
  let count = 0;
  do {
    for (const t of texts) sink += fn(t) ? 1 : 0;
    count += texts.length;
  } while (cpuSeconds() - cpuStart < SECONDS);
  const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
  return { cpu: count / (cpuSeconds() - cpuStart), wall: count / wall };
}

type Contender = { label: string; fn: (text: string) => unknown };

/** Best of ROUNDS per contender, the contenders alternating round by round so that load hits them alike. */
function race(texts: readonly string[], contenders: readonly Contender[]): Rate[] {
  for (const c of contenders) for (const t of texts) sink += c.fn(t) ? 1 : 0; // warm-up
  const best = contenders.map((): Rate => ({ cpu: 0, wall: 0 }));
  for (let r = 0; r < ROUNDS; r++) {
    contenders.forEach((c, i) => {
      const got = round(texts, c.fn);
      const b = best[i] as Rate;
      b.cpu = Math.max(b.cpu, got.cpu);
      b.wall = Math.max(b.wall, got.wall);
    });
  }
  return best;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(10);

function timedLoad(dir: string): { version: string; ms: number; mb: number } {
  const start = process.hrtime.bigint();
  const file = readFileSync(join(dir, 'config/parser/model.json'), 'utf8');
  const loaded = new LearnedClassifier(parserModelSchema.parse(JSON.parse(file)));
  return { version: loaded.version, ms: Number(process.hrtime.bigint() - start) / 1e6, mb: file.length / 1e6 };
}

// The model's load: read the committed file, validate it, decode the weights (what a restart or a hot swap costs).
const load = timedLoad(join(__dirname, '..'));
console.log(
  `model ${load.version}: ${load.mb.toFixed(1)} MB, loads in ${load.ms.toFixed(0)} ms ` +
    `(target < 1,000 ms: ${load.ms < 1000 ? 'met' : 'NOT met'})`,
);

const contenders: Contender[] = [{ label: 'parser (parseReport, all fields)', fn: (text) => parseReport({ text }) }];
if (baselineDir) {
  const dir = resolve(baselineDir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const other = require(join(dir, 'src/parser')) as { parseReport: typeof parseReport };
  contenders.push({ label: `baseline parser (${baselineDir})`, fn: (text) => other.parseReport({ text }) });
  console.log(`baseline: the parser of ${dir}, same process`);
  // Same answers first, on every message of every fixture: a faster parser that answers differently is a
  // different parser.
  const fixtures = readdirSync(join(__dirname, '..', 'test/fixtures')).filter((file) => file.endsWith('.jsonl')).sort();
  let differing = 0;
  for (const file of fixtures) {
    const texts = jsonl(file);
    const differ = texts.filter((text) => JSON.stringify(parseReport({ text })) !== JSON.stringify(other.parseReport({ text })));
    differing += differ.length;
    console.log(`  ${file}: ${texts.length - differ.length} of ${texts.length} answers identical to the baseline's (every field)`);
    for (const text of differ.slice(0, 3)) console.log(`    differs: ${text.slice(0, 60)}`);
  }
  if (differing > 0) process.exitCode = 1;
}

console.log(`node ${process.version}, best of ${ROUNDS} rounds of ≥ ${SECONDS} s CPU per set and contender`);
const results: Record<string, Rate[]> = {};
for (const set of sets) {
  const chars = set.texts.reduce((n, t) => n + t.length, 0) / set.texts.length;
  console.log(`\n${set.name}: ${set.texts.length} distinct messages, ${chars.toFixed(0)} characters on average`);
  const field = set.name === 'grid' ? [...contenders, { label: 'keyword scan (includes, category only)', fn: keywordScan }] : contenders;
  const rates = race(set.texts, field);
  field.forEach((c, i) => {
    const r = rates[i] as Rate;
    console.log(`  ${c.label.padEnd(44)}${fmt(r.cpu)} msg/s (CPU time)${fmt(r.wall)} msg/s (wall)`);
  });
  results[set.name] = rates;
}

console.log('\nsummary (CPU time, one core)');
for (const set of sets) {
  const rates = results[set.name] as Rate[];
  const parser = (rates[0] as Rate).cpu;
  const ratio = baselineDir ? `   this/baseline ${(parser / (rates[1] as Rate).cpu).toFixed(2)}×` : '';
  console.log(
    `  ${set.name.padEnd(8)}${fmt(parser)} msg/s${ratio}   target ≥ 5,000 messages/s: ${parser >= 5000 ? 'met' : 'NOT met'}`,
  );
}
console.log(`  [sink ${sink % 7}]`);
