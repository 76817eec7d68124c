/**
 * Deadline engine benchmark: BullMQ delayed jobs (this repo's engine) against the common
 * alternative, a poller that scans the store for due cases every few seconds.
 *
 *   npm run bench:deadlines -- --count=1000000 --rate=1000 --fire-seconds=20 --poll-ms=2000
 *
 * Both engines below are built by production's deadline wiring (createDeadlineEngine, as
 * app/deadlinesModule.ts builds it): a scheduling-only engine as the web role has, then one with
 * the worker role's worker and sweeper.
 *
 * 1. Schedules `count` pending deadlines (due in 30 days) through the engine's scheduler (syncCases):
 *    scheduling rate and Redis memory per pending deadline (INFO used_memory before/after).
 * 2. With those in Redis, `rate` deadlines fall due per second for `fire-seconds`; the real deadline
 *    worker handles them (store and notifier in memory, so Redis/BullMQ is what is measured):
 *    lateness = when the worker acted minus the planned instant, p50/p99/max.
 * 3. The poller: `poll-count` pending documents plus the same due stream in FerretDB (or
 *    MONGODB_URI), an index on dueAt, a scan every `poll-ms`: the same figures.
 *
 * Everything runs on private loopback servers started here (Redis, FerretDB) and stopped at the end.
 */
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { Collection, Connection } from 'mongoose';
import { createDeadlineEngine, type DeadlineCaseStore, type DeadlineNotifier, type DeadlineRules } from '../jobs/deadlines';
import { bullConnection } from '../jobs/outbox';
import { startFerretdb } from '../scripts/services/ferretdb';
import { startRedisServer } from '../scripts/services/redis';
import { positiveArg } from './args';
import { stopOnSignal } from './stopOnSignal';
import type { Case } from '../src/cases';
import { calendarFor, defaultSlaConfig, type SlaConfig } from '../src/sla';
import { connectMongo } from '../store/connection';

interface Args {
  count: number;
  rate: number;
  fireSeconds: number;
  pollMs: number;
  pollCount: number;
  batch: number;
  parallel: number;
  concurrency: number;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string, fallback: number) => positiveArg(argv, name, fallback);
  const count = get('count', 1_000_000);
  return {
    count,
    rate: get('rate', 1_000),
    fireSeconds: get('fire-seconds', 20),
    pollMs: get('poll-ms', 2_000),
    pollCount: get('poll-count', count),
    batch: get('batch', 1_000),
    parallel: get('parallel', 4),
    concurrency: get('concurrency', 200),
  };
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DAY = 24 * 3600_000;

/** One alert per deadline, at the deadline: every job fires exactly once. */
function benchRules(): DeadlineRules {
  const base = defaultSlaConfig();
  const stage = { duration: '30m', clock: 'calendar' as const, reminders: { fractions: [], atDeadline: true, overdueEveryMinutes: 60, maxOverdueReminders: 0 }, escalation: [] };
  const policy = { accept: stage, finish: stage, verify: stage };
  const config: SlaConfig = { ...base, policies: { emergency: policy, key: policy, daily: policy }, overrides: [] };
  return { config, calendar: calendarFor(config) };
}

/** A whistled case with one pending department, due at `due`. Built by hand: a million go through here. */
function benchCase(id: string, whistledAt: Date, due: Date): Case {
  return {
    id,
    number: id,
    districtId: 'd1',
    streetId: 's1',
    source: 'dispatcher',
    reporter: {},
    text: 'bench',
    media: [],
    parsed: { urgency: 'daily', confidence: 1 },
    level: 'street',
    state: 'whistled',
    assignments: [{ deptCode: 'zhujian', role: 'lead', state: 'pending', whistledAt, acceptDueAt: due, resultMedia: [], reopenCount: 0, extensions: [] }],
    counters: { returns: 0, reopenings: 0, extensions: 0 },
    mergedDuplicates: [],
    createdAt: whistledAt,
    updatedAt: whistledAt,
    version: 1,
    timeline: [],
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Lateness {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

function summarise(values: number[]): Lateness {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

/** Runs `work(i)` for i in [0, total) in batches, `parallel` batches at a time. */
async function inBatches(total: number, batch: number, parallel: number, work: (from: number, to: number) => Promise<void>, progress: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < total) {
      const from = next;
      const to = Math.min(total, from + batch);
      next = to;
      await work(from, to);
      done += to - from;
      progress(done);
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
}

function progressPrinter(label: string, total: number): (done: number) => void {
  let last = 0;
  const started = Date.now();
  return (done) => {
    if (done - last < total / 10 && done < total) return;
    last = done;
    log(`  ${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} (${Math.round(done / ((Date.now() - started) / 1000))}/s)`);
  };
}

class MemoryStore implements DeadlineCaseStore {
  readonly cases = new Map<string, Case>();

  async load(caseId: string): Promise<Case | null> {
    return this.cases.get(caseId) ?? null;
  }

  async appendDeadlineEvent(read: Case, event: Parameters<DeadlineCaseStore['appendDeadlineEvent']>[1]): Promise<boolean> {
    const caseId = read.id;
    const c = this.cases.get(caseId);
    if (!c || c.version !== read.version || c.timeline.some((e) => e.details.deadlineKey === event.details.deadlineKey)) return false;
    const entry = { ...event, type: 'feedback' as const, actorId: 'system', actorRole: 'system' as const, channel: 'system' as const };
    this.cases.set(caseId, { ...c, timeline: [...c.timeline, entry], version: c.version + 1 });
    return true;
  }

  async *casesWithDeadlines(): AsyncGenerator<Case[]> {
    // The bench schedules through syncCases itself; its sweeper has nothing to add.
  }
}

const silentNotifier: DeadlineNotifier = {
  send: async () => ({ to: 'bench', recipients: '', summary: 'bench' }),
};

interface EngineFigures {
  scheduled: number;
  scheduleSeconds: number;
  schedulePerSecond: number;
  bytesPerPending: number;
  redisUsedMemoryMb: number;
  lateness: Lateness;
  fired: number;
  expected: number;
}

async function benchEngine(args: Args, redisUrl: string): Promise<EngineFigures> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const connection = bullConnection(redisUrl);
  const prefix = 'bench';
  const rules = benchRules();
  const scheduling = await createDeadlineEngine({ connection, redis, prefix, rules: () => rules });
  const { queue, scheduler } = scheduling;
  await queue.waitUntilReady();

  log(`engine: scheduling ${args.count.toLocaleString('en')} pending deadlines (due in 30 days)…`);
  const before = await usedMemory(redis);
  const whistledAt = new Date();
  const farDue = new Date(Date.now() + 30 * DAY);
  const started = Date.now();
  await inBatches(
    args.count,
    args.batch,
    args.parallel,
    async (from, to) => {
      const cases: Case[] = [];
      for (let i = from; i < to; i++) cases.push(benchCase(`p${i}`, whistledAt, new Date(farDue.getTime() + i)));
      await scheduler.syncCases(cases);
    },
    progressPrinter('scheduled', args.count),
  );
  const scheduleSeconds = (Date.now() - started) / 1000;
  const after = await usedMemory(redis);
  const delayed = await queue.getDelayedCount();
  if (delayed !== args.count) throw new Error(`expected ${args.count} delayed jobs, Redis holds ${delayed}`);

  const store = new MemoryStore();
  const total = Math.round(args.rate * args.fireSeconds);
  const spacing = 1000 / args.rate;
  const lateness: number[] = [];
  const working = await createDeadlineEngine({
    connection,
    redis,
    prefix,
    rules: () => rules,
    workers: {
      store,
      notifier: silentNotifier,
      concurrency: args.concurrency,
      // The bench's store lists no cases for the sweeper; an hourly sweep keeps it out of the figures.
      sweepEveryMs: 3600_000,
      onFired: (f) => lateness.push(f.firedAt.getTime() - f.plannedAt.getTime()),
    },
  });
  await working.worker?.waitUntilReady();

  // The due stream starts once it is all scheduled, a few seconds from now.
  const firstDue = Date.now() + 5_000 + total / 20;
  log(`engine: ${total.toLocaleString('en')} deadlines falling due at ${args.rate}/s for ${args.fireSeconds} s, with the pending ones in Redis…`);
  const fireCases: Case[] = [];
  for (let i = 0; i < total; i++) {
    const c = benchCase(`f${i}`, new Date(), new Date(Math.round(firstDue + i * spacing)));
    store.cases.set(c.id, c);
    fireCases.push(c);
  }
  for (let i = 0; i < fireCases.length; i += args.batch) await scheduler.syncCases(fireCases.slice(i, i + args.batch));
  if (Date.now() > firstDue) log('  warning: scheduling the due stream ran into its start');
  const lastDue = firstDue + total * spacing;
  while (lateness.length < total && Date.now() < lastDue + 60_000) await sleep(200);
  await working.close();
  await scheduling.close();
  redis.disconnect();
  return {
    scheduled: args.count,
    scheduleSeconds,
    schedulePerSecond: Math.round(args.count / scheduleSeconds),
    bytesPerPending: Math.round((after - before) / args.count),
    redisUsedMemoryMb: Math.round(after / 1024 / 1024),
    lateness: summarise(lateness),
    fired: lateness.length,
    expected: total,
  };
}

interface PollerFigures {
  inserted: number;
  insertPerSecond: number;
  lateness: Lateness;
  fired: number;
  expected: number;
  scanMsP50: number;
  scanMsMax: number;
}

interface PollDoc {
  _id: string;
  dueAt?: Date;
}

async function benchPoller(args: Args, mongo: Connection): Promise<PollerFigures> {
  const collection = mongo.collection<PollDoc>('bench_poll') as unknown as Collection<PollDoc>;
  await collection.drop().catch(() => undefined);
  await collection.createIndex({ dueAt: 1 });

  log(`poller: inserting ${args.pollCount.toLocaleString('en')} pending documents (due in 30 days)…`);
  const farDue = Date.now() + 30 * DAY;
  const started = Date.now();
  await inBatches(
    args.pollCount,
    args.batch,
    2,
    async (from, to) => {
      const docs: PollDoc[] = [];
      for (let i = from; i < to; i++) docs.push({ _id: `p${i}`, dueAt: new Date(farDue + i) });
      await collection.insertMany(docs, { ordered: false });
    },
    progressPrinter('inserted', args.pollCount),
  );
  const insertSeconds = (Date.now() - started) / 1000;

  const total = Math.round(args.rate * args.fireSeconds);
  const spacing = 1000 / args.rate;
  const firstDue = Date.now() + 5_000 + total / 5;
  const stream: PollDoc[] = Array.from({ length: total }, (_, i) => ({ _id: `f${i}`, dueAt: new Date(Math.round(firstDue + i * spacing)) }));
  for (let i = 0; i < stream.length; i += args.batch) await collection.insertMany(stream.slice(i, i + args.batch), { ordered: false });
  if (Date.now() > firstDue) log('  warning: inserting the due stream ran into its start');

  log(`poller: ${total.toLocaleString('en')} deadlines falling due at ${args.rate}/s, scanned every ${args.pollMs} ms…`);
  const lateness: number[] = [];
  const scans: number[] = [];
  const lastDue = firstDue + total * spacing;
  // Each scan takes the window since the previous one, so nothing is written back: the fairest
  // poller for FerretDB, where an update per handled document would dominate.
  let since = new Date(0);
  while (lateness.length < total && Date.now() < lastDue + 60_000) {
    const scanStart = Date.now();
    const until = new Date(scanStart);
    const due = await collection.find({ dueAt: { $gt: since, $lte: until } }, { projection: { dueAt: 1 } }).toArray();
    const handledAt = Date.now();
    for (const doc of due) if (doc.dueAt) lateness.push(handledAt - doc.dueAt.getTime());
    since = until;
    scans.push(handledAt - scanStart);
    if (due.length > 0) log(`  scan: ${due.length} due, ${handledAt - scanStart} ms (${lateness.length}/${total})`);
    await sleep(Math.max(0, args.pollMs - (Date.now() - scanStart)));
  }
  await collection.drop().catch(() => undefined);
  const sortedScans = [...scans].sort((a, b) => a - b);
  return {
    inserted: args.pollCount,
    insertPerSecond: Math.round(args.pollCount / insertSeconds),
    lateness: summarise(lateness),
    fired: lateness.length,
    expected: total,
    scanMsP50: percentile(sortedScans, 50),
    scanMsMax: sortedScans[sortedScans.length - 1] ?? NaN,
  };
}

function report(args: Args, engine: EngineFigures, poller: PollerFigures): void {
  const ms = (n: number) => `${Math.round(n)} ms`;
  log('');
  log('== deadlines benchmark ==');
  log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min) at the end of the run`);
  log(`pending deadlines: ${engine.scheduled.toLocaleString('en')} (engine), ${poller.inserted.toLocaleString('en')} (poller); due stream ${args.rate}/s for ${args.fireSeconds} s`);
  log(`engine  scheduling: ${engine.schedulePerSecond.toLocaleString('en')}/s (${engine.scheduleSeconds.toFixed(1)} s); Redis ${engine.bytesPerPending} B per pending deadline (used_memory ${engine.redisUsedMemoryMb} MB)`);
  log(`engine  lateness:   p50 ${ms(engine.lateness.p50)}, p99 ${ms(engine.lateness.p99)}, max ${ms(engine.lateness.max)} (${engine.fired}/${engine.expected} fired)`);
  log(`poller  inserting:  ${poller.insertPerSecond.toLocaleString('en')}/s; scan every ${args.pollMs} ms took p50 ${ms(poller.scanMsP50)}, max ${ms(poller.scanMsMax)}`);
  log(`poller  lateness:   p50 ${ms(poller.lateness.p50)}, p99 ${ms(poller.lateness.p99)}, max ${ms(poller.lateness.max)} (${poller.fired}/${poller.expected} fired)`);
  log(`ratio (poller / engine): p50 ${(poller.lateness.p50 / Math.max(1, engine.lateness.p50)).toFixed(1)}×, p99 ${(poller.lateness.p99 / Math.max(1, engine.lateness.p99)).toFixed(1)}×`);
  log(`targets: p99 < 1 s → ${engine.lateness.p99 < 1000 ? 'met' : 'MISSED'}; < 1 KB Redis per pending deadline → ${engine.bytesPerPending < 1024 ? 'met' : 'MISSED'}`);
  log(JSON.stringify({ args, engine, poller }));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = join(__dirname, '../.data', `bench-deadlines-${process.pid}`);
  const redis = await startRedisServer({ dir: join(dir, 'redis'), log });
  const ferret = process.env.MONGODB_URI ? undefined : await startFerretdb({ dir: join(dir, 'ferretdb'), log });
  stopOnSignal(async () => {
    await Promise.allSettled([redis.stop(), ferret?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });
  let mongo: Connection | undefined;
  try {
    const engine = await benchEngine(args, redis.url);
    mongo = await connectMongo(process.env.MONGODB_URI ?? ferret?.uri ?? '', { serverSelectionTimeoutMS: 10_000 });
    const poller = await benchPoller(args, mongo.useDb('bench_deadlines'));
    report(args, engine, poller);
  } finally {
    await mongo?.close();
    await redis.stop();
    await ferret?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
