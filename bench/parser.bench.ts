/**
 * npm run bench:parser — messages per second on one core, the parser beside a naive keyword-scan baseline
 * (a loop of String.includes over every category word), over the labelled set repeated.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LearnedClassifier, parseReport, parserModelSchema } from '../src/parser';
import { defaultVocab } from '../src/parser/vocab';

const MIN_MESSAGES = 50_000;
const ROUNDS = 3;

const texts = readFileSync(join(__dirname, '..', 'test/fixtures/parser-messages.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { text: string }).text);

const baselineWords: Array<[string, string]> = Object.entries(defaultVocab.categories.categories).flatMap(
  ([category, tiers]) => Object.values(tiers).flat().map((w): [string, string] => [w, category]),
);

/** What a first attempt looks like: scan every keyword with includes, first category hit wins. */
function baseline(text: string): string {
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

function rate(label: string, fn: (text: string) => unknown): Rate {
  const repeats = Math.ceil(MIN_MESSAGES / texts.length);
  let sink = 0;
  for (const t of texts) sink += fn(t) ? 1 : 0; // warm-up
  const best: Rate = { cpu: 0, wall: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const wallStart = process.hrtime.bigint();
    const cpuStart = cpuSeconds();
    for (let r = 0; r < repeats; r++) for (const t of texts) sink += fn(t) ? 1 : 0;
    const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
    const cpu = cpuSeconds() - cpuStart;
    const count = repeats * texts.length;
    best.cpu = Math.max(best.cpu, count / cpu);
    best.wall = Math.max(best.wall, count / wall);
  }
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(10);
  console.log(`${label.padEnd(36)}${fmt(best.cpu)} msg/s (CPU time)${fmt(best.wall)} msg/s (wall)  [sink ${sink % 7}]`);
  return best;
}

// The model's load: read the committed file, validate it, decode the weights (what a restart or a hot swap costs).
const loadStart = process.hrtime.bigint();
const modelFile = readFileSync(join(__dirname, '..', 'config/parser/model.json'), 'utf8');
const loaded = new LearnedClassifier(parserModelSchema.parse(JSON.parse(modelFile)));
const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
console.log(`model ${loaded.version}: ${(modelFile.length / 1e6).toFixed(1)} MB, loads in ${loadMs.toFixed(0)} ms (target < 1,000 ms: ${loadMs < 1000 ? 'met' : 'NOT met'})`);
console.log(`node ${process.version}, ${texts.length} distinct messages, ≥${MIN_MESSAGES.toLocaleString('en-US')} per round, best of ${ROUNDS}`);
const base = rate('baseline (includes scan, category)', baseline);
const full = rate('parser (parseReport, all fields)', (text) => parseReport({ text }));
console.log(
  `ratio parser/baseline (CPU time): ${(full.cpu / base.cpu).toFixed(2)}×   ` +
    `target ≥ 5,000 messages/s on one core: ${full.cpu >= 5000 ? 'met' : 'NOT met'}`,
);
