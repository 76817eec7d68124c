/**
 * The default store at size: `cases` history cases (bench/history.ts) in FerretDB on SQLite, once
 * with our launcher's pushdown indexes and once as FerretDB is released (the baseline), side by side.
 *
 *   npm run bench:store -- --cases=100000 --lookups=200
 *
 * Times, on each: a case by `_id` (what every tap, deadline job and case-number lookup ends in),
 * a case by its number through the repository (number key by `_id`, then the case), and one pass
 * over the cases with deadlines (the sweeper's full sweep).
 */
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { startFerretdb, type RunningFerretdb } from '../scripts/services/ferretdb';
import { MongoDeadlineCaseStore } from '../jobs/deadlines/mongoCaseStore';
import { connectMongo } from '../store/connection';
import { CaseRepository } from '../store/caseRepository';
import { caseModel } from '../store/models/case';
import { positiveArg } from './args';
import { seedHistory } from './history';
import { formatLatencies, latencies } from './latency';
import { stopOnSignal } from './stopOnSignal';

const log = (line: string) => process.stdout.write(`${line}\n`);

const fmt = (samples: number[]) => formatLatencies(latencies(samples));
const p50 = (samples: number[]) => latencies(samples).p50;

interface Figures { byId: number[]; byNumber: number[]; sweepMs: number; sweepCases: number }

async function measure(label: string, ferret: RunningFerretdb, cases: number, lookups: number): Promise<Figures> {
  const connection = await connectMongo(ferret.uri.replace(/\/whistlebot$/, '/bench_store'));
  try {
    const options = { districtId: 'demo-district', streetId: 'wenming', communityIds: ['nongji', 'jiangjunfu', 'heping'], log: (l: string) => log(`[${label}] ${l}`) };
    await seedHistory(connection, cases, options);
    const repository = new CaseRepository(connection);
    // Number keys are filed by `create`; the seeded history has none, so file them as a migration would.
    log(`[${label}] filing number keys…`);
    await repository.fileOpenCasesOnce();
    const ids: { id: string; number: string }[] = [];
    for await (const doc of caseModel(connection).find({}, { _id: 1, number: 1, state: 1 }).lean<{ _id: string; number: string; state: string }>().cursor()) {
      if (!['closed', 'cancelled', 'merged'].includes(doc.state)) ids.push({ id: String(doc._id), number: doc.number });
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // the launcher's indexer runs every second
    const figures: Figures = { byId: [], byNumber: [], sweepMs: 0, sweepCases: 0 };
    for (let i = 0; i < lookups; i++) {
      const pick = ids[(i * 7919) % ids.length]!;
      let started = performance.now();
      if (!(await repository.get(pick.id))) throw new Error(`case ${pick.id} not found`);
      figures.byId.push(performance.now() - started);
      started = performance.now();
      if (!(await repository.getByNumber('demo-district', pick.number))) throw new Error(`case ${pick.number} not found`);
      figures.byNumber.push(performance.now() - started);
    }
    const started = performance.now();
    for await (const page of new MongoDeadlineCaseStore(connection, repository).casesWithDeadlines(500)) figures.sweepCases += page.length;
    figures.sweepMs = performance.now() - started;
    log(`[${label}] by _id: ${fmt(figures.byId)}; by number: ${fmt(figures.byNumber)}; one pass over ${figures.sweepCases.toLocaleString('en')} cases with deadlines: ${(figures.sweepMs / 1000).toFixed(1)} s`);
    return figures;
  } finally {
    await connection.close();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const cases = positiveArg(argv, 'cases', 20_000, true);
  const lookups = positiveArg(argv, 'lookups', 200, true);
  const dir = join(__dirname, '../.data', `bench-store-${process.pid}`);
  const started: RunningFerretdb[] = [];
  const cleanup = async () => {
    await Promise.allSettled(started.map((f) => f.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  stopOnSignal(cleanup);
  try {
    log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${cases.toLocaleString('en')} cases, ${lookups} lookups each`);
    const ours = await startFerretdb({ dir: join(dir, 'ours'), log });
    started.push(ours);
    const withIndexes = await measure('pushdown indexes', ours, cases, lookups);
    const released = await startFerretdb({ dir: join(dir, 'released'), log, pushdownIndexes: false });
    started.push(released);
    const baseline = await measure('FerretDB as released', released, cases, lookups);
    log('');
    log(`case by _id:    ${fmt(withIndexes.byId)}  vs baseline ${fmt(baseline.byId)} → ${(p50(baseline.byId) / Math.max(0.01, p50(withIndexes.byId))).toFixed(0)}× faster at p50`);
    log(`case by number: ${fmt(withIndexes.byNumber)}  vs baseline ${fmt(baseline.byNumber)} → ${(p50(baseline.byNumber) / Math.max(0.01, p50(withIndexes.byNumber))).toFixed(0)}× faster at p50`);
    log(`sweeper's pass: ${(withIndexes.sweepMs / 1000).toFixed(1)} s vs ${(baseline.sweepMs / 1000).toFixed(1)} s (a scan either way: the indexes serve _id lookups only)`);
    log(JSON.stringify({ cases, lookups, withIndexes: { byIdP50: p50(withIndexes.byId), byNumberP50: p50(withIndexes.byNumber), sweepMs: withIndexes.sweepMs }, baseline: { byIdP50: p50(baseline.byId), byNumberP50: p50(baseline.byNumber), sweepMs: baseline.sweepMs } }));
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
