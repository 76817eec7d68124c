/**
 * The command centre's read model at a district's years of cases, in process and without a store:
 * for each size, that many history cases (bench/history.ts: 90 % closed, a year of dates) are
 * summarised and handed to the kept indexes (`BoardTally`, `CaseListIndex`), then the board and
 * each of the case list's searches are timed on them — side by side with the walk over every case
 * they replace (`buildBoard` over the open and today's cases, `findPage` over the open or all
 * cases), which is the baseline of the ratio:
 *
 *   npm run bench:console-index                                   (10,000 and 100,000)
 *   npm run bench:console-index -- --sizes=10000,1000000 --samples=30
 *
 * `bench:scale` times the same board and searches next to the store's operations, on a seeded store.
 */
import { loadavg } from 'node:os';
import { buildBoard } from '../src/console/board';
import { BoardTally } from '../src/console/boardTally';
import { CaseListIndex } from '../src/console/caseListIndex';
import { findPage, onlyOpenMatch } from '../src/console/caseQuery';
import { summarise, type CaseSummary } from '../src/console/summary';
import { localDate, zonedInstant } from '../src/sla/timeZone';
import { positiveArg } from './args';
import { consoleListQueries } from './consoleQueries';
import { historyCase, rng } from './history';
import { latencies, type Latencies } from './latency';

const TIME_ZONE = 'Asia/Shanghai';
const STREET = 'wenming';
const DISTRICT = 'demo-district';
const log = (line: string) => process.stderr.write(`${line}\n`);

function parseArgs(argv: readonly string[]): { sizes: number[]; samples: number } {
  const sizesArg = argv.find((a) => a.startsWith('--sizes='));
  const sizes = sizesArg ? sizesArg.slice('--sizes='.length).split(',').map(Number) : [10_000, 100_000];
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--sizes must be positive integers, e.g. --sizes=10000,1000000');
  return { sizes, samples: positiveArg(argv, 'samples', 20, true) };
}

function timed(samples: number[], run: () => unknown): void {
  samples.push(elapsedMs(run));
}

function elapsedMs(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

interface Row {
  label: string;
  kept: Latencies;
  /** The first time the search was asked: its count not yet kept (`FilterCounts`), so it counts its postings. */
  first: number;
  walk: Latencies;
  matches: string;
}

function measure(size: number, samples: number): { rows: Row[]; open: number; buildSeconds: number; settleMs: number } {
  const random = rng(16);
  const now = Date.now();
  const all: CaseSummary[] = [];
  const open = new Map<string, CaseSummary>();
  const tally = new BoardTally();
  const list = new CaseListIndex();
  const started = performance.now();
  let keptMs = 0;
  for (let i = 0; i < size; i++) {
    const summary = summarise(historyCase(i, random, now, { districtId: DISTRICT, streetId: STREET, communityIds: ['nongji', 'jiangjunfu', 'heping'], closedShare: 0.9 }));
    all.push(summary);
    if (summary.open) open.set(summary.id, summary);
    const keptStarted = performance.now();
    tally.replace(undefined, summary);
    list.replace(undefined, summary);
    keptMs += performance.now() - keptStarted;
    if ((i + 1) % 100_000 === 0) log(`[${size.toLocaleString('en')}] ${(i + 1).toLocaleString('en')} cases made…`);
  }
  log(`[${size.toLocaleString('en')}] ${size.toLocaleString('en')} cases (${open.size.toLocaleString('en')} open) made in ${((performance.now() - started) / 1000).toFixed(1)} s, of which ${(keptMs / 1000).toFixed(1)} s kept in the indexes`);

  const at = new Date(now);
  const dayStart = zonedInstant(localDate(at, TIME_ZONE), 0, TIME_ZONE);
  // The walk's input, as the read model used to hand it: the open cases and today's finished ones.
  const touchedToday = all.filter((c) => c.createdAt >= dayStart || (c.closedAt !== undefined && c.closedAt >= dayStart));
  const rows: Row[] = [];
  const board = { kept: [] as number[], walk: [] as number[] };
  const queries = consoleListQueries(at, TIME_ZONE, STREET);
  const pages = queries.map(() => ({ kept: [] as number[], walk: [] as number[], total: '' }));
  const settleStarted = performance.now();
  tally.settle();
  list.settle();
  const settleMs = performance.now() - settleStarted;
  // The kept indexes first, then the walks, so that neither's garbage is collected in the other's time.
  // The first round is timed apart (cold code, the searches' counts not yet kept), the samples after it.
  const first = { board: 0, pages: queries.map(() => 0) };
  for (let i = -1; i < samples; i++) {
    const boardMs = elapsedMs(() => tally.board({ kind: 'district' }, at, dayStart));
    if (i < 0) first.board = boardMs;
    else board.kept.push(boardMs);
    queries.forEach(({ query }, q) => {
      const row = pages[q]!;
      let page: ReturnType<CaseListIndex['page']> | undefined;
      const pageMs = elapsedMs(() => { page = list.page({ kind: 'district' }, query, at); });
      if (i < 0) first.pages[q] = pageMs;
      else row.kept.push(pageMs);
      if (!page) throw new Error('no page');
      row.total = `${page.total.toLocaleString('en')}${page.totalIsLowerBound ? '+' : ''}`;
    });
  }
  for (let i = 0; i < samples; i++) {
    timed(board.walk, () => buildBoard([...open.values(), ...touchedToday.filter((c) => !c.open)], at, dayStart));
    queries.forEach(({ query }, q) => timed(pages[q]!.walk, () => findPage(onlyOpenMatch(query) ? open.values() : all, query, at)));
  }
  rows.push({ label: 'board', kept: latencies(board.kept), first: first.board, walk: latencies(board.walk), matches: `${open.size.toLocaleString('en')} open` });
  queries.forEach(({ label }, q) => rows.push({ label: `list: ${label}`, kept: latencies(pages[q]!.kept), first: first.pages[q]!, walk: latencies(pages[q]!.walk), matches: pages[q]!.total }));
  return { rows, open: open.size, buildSeconds: keptMs / 1000, settleMs };
}

function main(): void {
  const { sizes, samples } = parseArgs(process.argv.slice(2));
  log(`console read model bench: sizes ${sizes.map((s) => s.toLocaleString('en')).join(', ')}, ${samples} samples each; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const results = sizes.map((size) => ({ size, ...measure(size, samples) }));
  const first = results[0]!;
  const last = results.at(-1)!;
  log('');
  log(`| operation | ${results.map((r) => `kept p50 / p95 ms at ${r.size.toLocaleString('en')}`).join(' | ')} | first ms at ${last.size.toLocaleString('en')} | walk p95 ms at ${last.size.toLocaleString('en')} | walk / kept (p95) | kept p95 ${last.size.toLocaleString('en')} / ${first.size.toLocaleString('en')} | matches at ${last.size.toLocaleString('en')} |`);
  log(`|---|${results.map(() => '---').join('|')}|---|---|---|---|---|`);
  last.rows.forEach((row, i) => {
    const cells = results.map((r) => `${r.rows[i]!.kept.p50.toFixed(2)} / ${r.rows[i]!.kept.p95.toFixed(2)}`);
    const flat = row.kept.p95 / Math.max(0.01, first.rows[i]!.kept.p95);
    log(`| ${row.label} | ${cells.join(' | ')} | ${row.first.toFixed(2)} | ${row.walk.p95.toFixed(1)} | ${(row.walk.p95 / Math.max(0.01, row.kept.p95)).toFixed(0)}× | ${flat.toFixed(2)}× | ${row.matches} |`);
  });
  log(`| kept in the indexes while loading (s) | ${results.map((r) => r.buildSeconds.toFixed(1)).join(' | ')} | | | | | |`);
  log(`| the indexes' orders settled once loaded (ms) | ${results.map((r) => r.settleMs.toFixed(0)).join(' | ')} | | | | | |`);
  log(`load at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  process.stdout.write(`${JSON.stringify(results.map((r) => ({ size: r.size, open: r.open, rows: r.rows })))}\n`);
}

main();
