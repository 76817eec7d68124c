/**
 * The default store at a district's (or a city's) size: for each size, a fresh database seeded
 * with that many history cases (bench/history.ts: 90 % closed, full timelines, a year of dates,
 * every tenth case a resident's), then the product's store operations timed on it:
 *
 *   npm run bench:scale                                   (sizes 2,000 and 10,000: a few minutes)
 *   npm run bench:scale -- --sizes=10000,100000 --samples=100
 *
 * - a report submission (`submitReport`: number, insert, keys, the duplicate lookup, whistle); one
 *   in five repeats an earlier report's place and category, so its lookup finds a case to merge into;
 * - a tap (接哨: `runCaseCommand` accept by the lead department's lead, the tap's command);
 * - a case by number (open history cases, as a feedback message names them);
 * - a resident's case list (我的上报, `listByReporter`, 50 newest);
 * - the deadline sweeper's periodic run (resync of 20 marked cases) and its full sweep (one pass
 *   over every case with deadlines, synced against BullMQ);
 * - a month's department figures (the stats API's `departmentStats`, this month);
 * - the command centre's board and filtered case list, answered from its read model (in process,
 *   without HTTP: `bench:console` times the same over HTTP).
 *
 * The chat side of a command (cards, notices) is left out (`bench:lifecycle` drives it): the
 * notifier does nothing, so the figures are the store's. Prints the curve per operation and the
 * ratio p95(largest size) / p95(smallest). FerretDB (SQLite, with the launcher's pushdown indexes)
 * and Redis are started here on loopback; MONGODB_URI / REDIS_URL use running ones instead.
 */
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { cachedOrg } from '../commands/cachedOrg';
import { caseStoreFrom } from '../commands/caseStore';
import { lifecycleConfig } from '../commands/config';
import type { LifecycleDeps } from '../commands/deps';
import { runCaseCommand } from '../commands/runCaseCommand';
import { submitReport, type ReportSubmission } from '../commands/submitReport';
import { loadDistrictSeed } from '../config/district';
import { loadSlaConfig } from '../config/sla';
import { MongoDeadlineCaseStore } from '../jobs/deadlines/mongoCaseStore';
import { DEADLINE_QUEUE_NAME } from '../jobs/deadlines/names';
import type { DeadlineRules } from '../jobs/deadlines/plan';
import { DeadlineScheduler, type DeadlineJobData } from '../jobs/deadlines/scheduler';
import { createDeadlineSweeper, markForResync } from '../jobs/deadlines/sweeper';
import { bullConnection } from '../jobs/outbox/connection';
import { startFerretdb } from '../scripts/services/ferretdb';
import { startRedisServer } from '../scripts/services/redis';
import type { Case } from '../src/cases';
import { summarise, type CaseSummary } from '../src/console/summary';
import { calendarFor } from '../src/sla/defaults';
import { localDate, zonedInstant } from '../src/sla/timeZone';
import { CaseRepository } from '../store/caseRepository';
import { CaseSummaryFeed } from '../store/caseSummaryFeed';
import { CaseSummaryIndex } from '../store/caseSummaryIndex';
import { connectMongo } from '../store/connection';
import { OrgRepository } from '../store/orgRepository';
import { monthPeriod } from '../web/console/report';
import { positiveArg } from './args';
import { consoleListQueries } from './consoleQueries';
import { importHistory, rng, seedHistory } from './history';
import { latencies, type Latencies } from './latency';
import { stopOnSignal } from './stopOnSignal';

const DISTRICT = 'demo-district';
const STREET = 'wenming';
const COMMUNITIES = ['nongji', 'jiangjunfu', 'heping'];
const TIME_ZONE = 'Asia/Shanghai';
/** Each resident has about this many cases at every size, so their lists compare across sizes. */
const CASES_PER_RESIDENT = 20;

const OPERATIONS = ['submit report', 'tap (accept)', 'case by number', "resident's list", 'sweep: periodic run', 'sweep: full', "month's stats", 'board', 'case list'] as const;
type Operation = (typeof OPERATIONS)[number];

interface Args {
  sizes: number[];
  samples: number;
  fullSweeps: number;
  /** Also time the month's figures by the store's `$group` over every case (minutes per run at 10,000+ on FerretDB). */
  baselineStats: boolean;
  /**
   * Seed the cases alone (as an older version stored them) and time the worker's one-time filings,
   * instead of the store's bulk history import with every key filed (hours at 1,000,000 on FerretDB).
   */
  oneTimeFilings: boolean;
  /** Load the read model from the store as a first start without a Redis snapshot does (default: up to 10,000 cases; else filled from the seeded cases). */
  readModelFromStore: boolean | undefined;
}

function parseArgs(argv: string[]): Args {
  const sizesArg = argv.find((a) => a.startsWith('--sizes='))?.slice('--sizes='.length) ?? '2000,10000';
  const sizes = sizesArg.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--sizes must be positive integers, e.g. --sizes=10000,100000');
  return { sizes: [...sizes].sort((a, b) => a - b), samples: positiveArg(argv, 'samples', 50, true), fullSweeps: positiveArg(argv, 'full-sweeps', 3, true), baselineStats: argv.includes('--baseline-stats'), oneTimeFilings: argv.includes('--one-time-filings'), readModelFromStore: argv.includes('--read-model-from-store') ? true : argv.includes('--read-model-from-seed') ? false : undefined };
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

async function timed(samples: number[], run: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await run();
  samples.push(performance.now() - started);
}

interface SizeResult {
  size: number;
  seedSeconds: number;
  /** The worker's one-time filings of stored cases (number, place, open and reporter keys; the figures' roll-up), with --one-time-filings. */
  filingSeconds: number | undefined;
  readModelSeconds: number | undefined;
  openCases: number;
  loadAtStart: string;
  loadAtEnd: string;
  ops: Record<Operation, Latencies>;
  baselineStatsMs?: number;
}

function deps(repository: CaseRepository, org: OrgRepository): LifecycleDeps {
  return {
    cases: caseStoreFrom(repository, DISTRICT),
    org: cachedOrg(org),
    notifier: { caseChanged: async () => undefined, duplicateMerged: async () => undefined },
    deadlines: { syncCase: async () => undefined },
    clock: () => new Date(),
    config: lifecycleConfig(),
    sideEffectFailed: ({ error }) => log(`  side effect failed: ${String(error)}`),
  };
}

/** The lead department's lead of a whistled case, as the demo district names them. */
function leadOf(c: { assignments: readonly { deptCode: string; role: string }[] }) {
  const dept = c.assignments.find((a) => a.role === 'lead')?.deptCode;
  if (dept === undefined) throw new Error('a whistled case without a lead department');
  return { userId: `${dept}-lead`, role: 'dept_lead' as const, deptCode: dept };
}

async function measureSize(base: Connection, redis: Redis, redisUrl: string, size: number, args: Args): Promise<SizeResult> {
  const loadAtStart = load();
  const db = base.useDb(`bench_scale_${size}`, { useCache: false });
  await db.dropDatabase();
  const repository = new CaseRepository(db, { timeZone: TIME_ZONE });
  await repository.ensureIndexes();
  const org = new OrgRepository(db);
  await org.loadSeed(loadDistrictSeed('config/district.demo.json'));
  const residents = Math.max(1, Math.floor(size / 10 / CASES_PER_RESIDENT));
  const tag = `[${size.toLocaleString('en')}]`;
  const prefix = `benchscale${size}`;
  const feed = new CaseSummaryFeed(redis, prefix);
  const index = new CaseSummaryIndex(db, feed, DISTRICT);
  const readModelFromStore = args.readModelFromStore ?? size <= 10_000;
  const history = { districtId: DISTRICT, streetId: STREET, communityIds: COMMUNITIES, closedShare: 0.9, residents, log: (l: string) => log(`${tag} ${l}`) };
  let seedSeconds: number;
  let filingSeconds: number | undefined;
  if (args.oneTimeFilings) {
    log(`${tag} seeding ${size.toLocaleString('en')} cases alone (90 % closed, ${residents} residents), then the worker's one-time filings…`);
    seedSeconds = (await seedHistory(db, size, history)).seconds;
    // What the worker does once at its first start on a store of older cases.
    const filingStarted = performance.now();
    await repository.fileOpenCasesOnce();
    await repository.fileOpenKeysOnce();
    await repository.fileReportersOnce((n) => { if (n % 100_000 === 0) log(`${tag} filed ${n.toLocaleString('en')} cases under their reporters…`); });
    await repository.rollUpStatsOnce();
    filingSeconds = (performance.now() - filingStarted) / 1000;
    log(`${tag} one-time filings of the stored cases: ${filingSeconds.toFixed(1)} s`);
  } else {
    log(`${tag} importing ${size.toLocaleString('en')} cases (90 % closed, ${residents} residents) with their keys, counters and figures…`);
    const onBatch = readModelFromStore ? undefined : (cases: readonly Case[]) => { for (const c of cases) index.apply(summarise({ ...c, timeline: [] })); };
    seedSeconds = (await importHistory(repository, size, { ...history, ...(onBatch && { onBatch }) })).seconds;
  }

  const readStarted = performance.now();
  if (readModelFromStore) await index.start();
  const readModelSeconds = readModelFromStore ? (performance.now() - readStarted) / 1000 : undefined;
  log(readModelSeconds === undefined ? `${tag} read model filled from the seeded cases (${index.size.toLocaleString('en')}; --read-model-from-store times a first load from the store)` : `${tag} read model loaded from the store in ${readModelSeconds.toFixed(1)} s (${index.size.toLocaleString('en')} cases)`);
  const openHistory: CaseSummary[] = [...index.open()];

  const samples = Object.fromEntries(OPERATIONS.map((op) => [op, [] as number[]])) as Record<Operation, number[]>;
  const lifecycle = deps(repository, org);
  const random = rng(size);
  const now = new Date();

  // Reports and taps, one report at a time (latency, not throughput).
  const earlier: ReportSubmission[] = [];
  for (let n = 0; n < args.samples; n++) {
    const repeat = n % 5 === 4 ? earlier[Math.floor(random() * earlier.length)] : undefined;
    const submission: ReportSubmission = repeat ?? {
      source: 'grid', channel: 'wecom', reporter: { userId: 'grid-li' }, districtId: DISTRICT, streetId: STREET, communityId: COMMUNITIES[n % COMMUNITIES.length]!,
      text: `幸福路${size}-${n}号路面塌陷，请尽快处理`, media: [],
      parsed: { category: 'road', urgency: 'daily', location: `幸福路${size}-${n}号`, departments: [], confidence: 0.95 },
      lat: 45.752 + random() * 0.014, lng: 126.624 + random() * 0.024,
    };
    if (!repeat) earlier.push(submission);
    let outcome: Awaited<ReturnType<typeof submitReport>> | undefined;
    await timed(samples['submit report'], async () => { outcome = await submitReport(lifecycle, submission); });
    if (repeat && outcome?.outcome !== 'merged') throw new Error(`a repeated report was ${outcome?.outcome}, not merged: the duplicate lookup missed it`);
    if (outcome?.outcome === 'whistled') {
      const c = outcome.case;
      let accepted: Awaited<ReturnType<typeof runCaseCommand>> | undefined;
      await timed(samples['tap (accept)'], async () => { accepted = await runCaseCommand(lifecycle, { id: c.id }, { type: 'accept' }, { actor: leadOf(c), channel: 'wecom', now: new Date() }); });
      if (!accepted?.ok) throw new Error(`accept refused on ${c.number}: ${accepted && !accepted.ok ? accepted.reason : ''}`);
    }
  }

  for (let n = 0; n < args.samples; n++) {
    const pick = openHistory[Math.floor(random() * openHistory.length)]!;
    await timed(samples['case by number'], async () => {
      if (!(await repository.getByNumber(DISTRICT, pick.number))) throw new Error(`case ${pick.number} not found by number`);
    });
    const resident = `resident-${Math.floor(random() * residents)}`;
    await timed(samples["resident's list"], async () => {
      if ((await repository.listByReporter(resident, 50)).length === 0) throw new Error(`${resident} has no cases`);
    });
  }

  // The deadline sweeper against a real BullMQ queue.
  const sla = loadSlaConfig('config/sla.json');
  const rules: DeadlineRules = { config: sla, calendar: calendarFor(sla) };
  const connection = bullConnection(redisUrl);
  const queue = new Queue<DeadlineJobData>(DEADLINE_QUEUE_NAME, { connection, prefix });
  const store = new MongoDeadlineCaseStore(db, repository);
  const sweeper = createDeadlineSweeper({ connection, prefix, store, scheduler: new DeadlineScheduler({ queue, redis, rules: () => rules }), redis, everyMs: 24 * 3_600_000 });
  try {
    const first = performance.now();
    const firstReport = await sweeper.sweepOnce();
    log(`[${size.toLocaleString('en')}] first full sweep (creates every job): ${((performance.now() - first) / 1000).toFixed(1)} s over ${firstReport.cases.toLocaleString('en')} cases, ${firstReport.added.toLocaleString('en')} jobs added`);
    for (let i = 0; i < args.fullSweeps; i++) await timed(samples['sweep: full'], () => sweeper.sweepOnce());
    for (let i = 0; i < Math.min(args.samples, 20); i++) {
      const marked = Array.from({ length: 20 }, () => openHistory[Math.floor(random() * openHistory.length)]!.id);
      for (const id of marked) await markForResync(redis, prefix, id);
      await timed(samples['sweep: periodic run'], async () => {
        const report = await sweeper.sweepDue();
        if (report.full) throw new Error('the periodic run swept everything: no record of the last full sweep');
      });
    }
  } finally {
    await sweeper.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }

  const month = localDate(now, TIME_ZONE).slice(0, 7);
  const period = monthPeriod(month, TIME_ZONE);
  for (let i = 0; i < Math.min(args.samples, 20); i++) {
    await timed(samples["month's stats"], async () => {
      if ((await repository.departmentStats({ from: period.from, to: period.to, districtId: DISTRICT })).length === 0) throw new Error('no figures for this month');
    });
  }
  let baselineStatsMs: number | undefined;
  if (args.baselineStats) {
    const started = performance.now();
    await repository.aggregatedDepartmentStats({ from: period.from, to: period.to, districtId: DISTRICT });
    baselineStatsMs = performance.now() - started;
    log(`[${size.toLocaleString('en')}] baseline: the month's figures by $group over every case: ${(baselineStatsMs / 1000).toFixed(1)} s`);
  }

  // The command centre, as the district admin sees it (every case visible).
  const filters = consoleListQueries(now, TIME_ZONE, STREET).map((f) => f.query);
  for (let i = 0; i < args.samples; i++) {
    const at = new Date();
    const today = zonedInstant(localDate(at, TIME_ZONE), 0, TIME_ZONE);
    await timed(samples.board, async () => index.board({ kind: 'district' }, at, today));
    const query = filters[i % filters.length]!;
    await timed(samples['case list'], async () => index.casePage({ kind: 'district' }, query, at));
  }
  await index.close();
  await feed.close();
  await db.dropDatabase();

  const ops = Object.fromEntries(OPERATIONS.map((op) => [op, latencies(samples[op])])) as Record<Operation, Latencies>;
  const result: SizeResult = { size, seedSeconds, filingSeconds, readModelSeconds, openCases: openHistory.length, loadAtStart, loadAtEnd: load(), ops, ...(baselineStatsMs !== undefined && { baselineStatsMs }) };
  log(`[${size.toLocaleString('en')}] done; load ${result.loadAtStart} at the start, ${result.loadAtEnd} at the end`);
  for (const op of OPERATIONS) log(`  ${op.padEnd(22)} p50 ${ops[op].p50.toFixed(1).padStart(8)} ms  p95 ${ops[op].p95.toFixed(1).padStart(8)} ms  (n=${ops[op].n})`);
  return result;
}

function printCurve(results: SizeResult[]): void {
  const first = results[0]!;
  const last = results.at(-1)!;
  const sizes = results.map((r) => r.size.toLocaleString('en'));
  log('');
  log(`| operation | ${sizes.map((s) => `p50 / p95 ms at ${s}`).join(' | ')} | p95 ${last.size.toLocaleString('en')} / p95 ${first.size.toLocaleString('en')} |`);
  log(`|---|${sizes.map(() => '---').join('|')}|---|`);
  for (const op of OPERATIONS) {
    const cells = results.map((r) => `${r.ops[op].p50.toFixed(1)} / ${r.ops[op].p95.toFixed(1)}`);
    const ratio = last.ops[op].p95 / Math.max(0.01, first.ops[op].p95);
    log(`| ${op} | ${cells.join(' | ')} | ${ratio.toFixed(2)}× |`);
  }
  log(`| seeding (s) | ${results.map((r) => `${r.seedSeconds.toFixed(0)} (${Math.round(r.size / r.seedSeconds).toLocaleString('en')}/s)`).join(' | ')} | |`);
  log(`| open cases | ${results.map((r) => r.openCases.toLocaleString('en')).join(' | ')} | |`);
  log(`| one-time filings (s) | ${results.map((r) => r.filingSeconds?.toFixed(1) ?? '— (imported with keys)').join(' | ')} | |`);
  log(`| read model first load from the store (s) | ${results.map((r) => r.readModelSeconds?.toFixed(1) ?? '— (filled from the seed)').join(' | ')} | |`);
  const sweepPerOpen = results.map((r) => `${((r.ops['sweep: full'].p50 / Math.max(1, r.openCases)) * 1000).toFixed(0)} µs`);
  log(`| full sweep per open case (p50) | ${sweepPerOpen.join(' | ')} | |`);
  if (results.some((r) => r.baselineStatsMs !== undefined)) log(`| month's stats by $group (s) | ${results.map((r) => (r.baselineStatsMs === undefined ? '—' : (r.baselineStatsMs / 1000).toFixed(1))).join(' | ')} | |`);
  log(`| load average (start → end) | ${results.map((r) => `${r.loadAtStart} → ${r.loadAtEnd}`).join(' | ')} | |`);
  const over = OPERATIONS.filter((op) => last.ops[op].p95 >= 100 && !op.startsWith('sweep: full'));
  const steep = OPERATIONS.filter((op) => last.ops[op].p95 > 2 * first.ops[op].p95);
  log('');
  log(`flat (p95 at ${last.size.toLocaleString('en')} within 2× of p95 at ${first.size.toLocaleString('en')}): ${steep.length === 0 ? 'every operation' : `not ${steep.join(', ')}`}`);
  log(`under 100 ms p95 at ${last.size.toLocaleString('en')} (the full sweep aside, a background pass): ${over.length === 0 ? 'every operation' : `not ${over.join(', ')}`}`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = join(__dirname, '../.data', `bench-scale-${process.pid}`);
  const redisServer = process.env.REDIS_URL ? undefined : await startRedisServer({ dir: join(dir, 'redis'), log });
  const ferret = process.env.MONGODB_URI ? undefined : await startFerretdb({ dir: join(dir, 'ferretdb'), log });
  const cleanup = async () => {
    await Promise.allSettled([redisServer?.stop(), ferret?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
  stopOnSignal(cleanup);
  const redisUrl = process.env.REDIS_URL ?? redisServer!.url;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const mongo = await connectMongo(process.env.MONGODB_URI ?? ferret!.uri);
  try {
    log(`machine: ${cpus().length} cores, load ${load()}; store: ${process.env.MONGODB_URI ? 'MONGODB_URI' : 'FerretDB 1.24.2 (SQLite, pushdown indexes)'}; sizes ${args.sizes.map((s) => s.toLocaleString('en')).join(', ')}; ${args.samples} samples per operation`);
    const results: SizeResult[] = [];
    for (const size of args.sizes) results.push(await measureSize(mongo, redis, redisUrl, size, args));
    printCurve(results);
    log(JSON.stringify({ args, results }));
  } finally {
    await mongo.close();
    redis.disconnect();
    await cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
