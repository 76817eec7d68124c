/**
 * Command centre benchmark: 100,000 cases in the default store (FerretDB on SQLite), the real app
 * (sandbox mode: fake WeChat Work login, real routes, sessions in Redis), timed over HTTP.
 *
 *   npm run bench:console -- --cases=100000 --requests=200 --baseline-runs=1   (add --baseline-stats to time the store's $group too)
 *
 * 1. Seeds `cases` cases made by the domain's own commands (every state, 17 departments, a year of
 *    dates, coordinates) straight into the store, then starts the app and logs in as the district admin.
 * 2. Times the read model's first load, then `requests` board and filtered-list requests each
 *    (filters, search and sorts in rotation): p50 / p95 / max; the monthly report (JSON and .xlsx)
 *    and a filtered .xlsx export.
 * 3. Baseline in the same run: the same filtered list asked of the store (find + sort + skip/limit
 *    + countDocuments), and the stats API's aggregation for the month, `baseline-runs` times each.
 *
 * Private loopback Redis and FerretDB are started here and stopped at the end.
 */
import { readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../app/startApp';
import { loadEnv } from '../config';
import { createLogger } from '../infra/logger';
import { startFerretdb } from '../scripts/services/ferretdb';
import { startRedisServer } from '../scripts/services/redis';
import { OPEN_CASE_STATES } from '../src/cases';
import { localDate } from '../src/sla/timeZone';
import { connectMongo } from '../store/connection';
import { CaseRepository } from '../store/caseRepository';
import { caseModel } from '../store/models/case';
import { monthPeriod } from '../web/console/report';
import { consoleLogin } from '../fakes/wecom/consoleLogin';
import { positiveArg } from './args';
import { seedHistory } from './history';
import { formatLatencies, latencies, type Latencies } from './latency';
import { stopOnSignal } from './stopOnSignal';

interface Args { cases: number; requests: number; baselineRuns: number; baselineStats: boolean }

function parseArgs(argv: string[]): Args {
  const get = (name: string, fallback: number) => positiveArg(argv, name, fallback);
  const cases = get('cases', 100_000);
  // The store's $group over every case takes minutes already at a few thousand cases on FerretDB: opt in.
  const baselineStats = argv.includes('--baseline-stats') || cases <= 5_000;
  return { cases, requests: get('requests', 200), baselineRuns: get('baseline-runs', 3), baselineStats };
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const DAY = 24 * 3_600_000;

const fmt = (s: Latencies) => formatLatencies(s);

/** CPU time of this process (the app runs in it) while `run` ran: what a request costs on a machine that is not shared. */
async function cpuTimed(run: () => Promise<unknown>, cpu: number[]): Promise<number> {
  const before = process.cpuUsage();
  const wall = await timed(run);
  const used = process.cpuUsage(before);
  cpu.push((used.user + used.system) / 1000);
  return wall;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = join(__dirname, '../.data', `bench-console-${process.pid}`);
  const redis = await startRedisServer({ dir: join(dir, 'redis'), log });
  const ferret = process.env.MONGODB_URI ? undefined : await startFerretdb({ dir: join(dir, 'ferretdb'), log });
  const cleanup = async () => {
    await Promise.allSettled([redis.stop(), ferret?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
  stopOnSignal(cleanup);
  const uri = process.env.MONGODB_URI ?? ferret!.uri.replace(/\/whistlebot$/, '/bench_console');
  const rawEnv = { MONGODB_URI: uri, REDIS_URL: redis.url, PORT: '0', HOST: '127.0.0.1', QUEUE_PREFIX: 'benchconsole', ROLE: 'web', MEDIA_DIR: join(dir, 'media'), STATS_API_TOKEN: 'bench' };
  try {
    log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; store: ${process.env.MONGODB_URI ? 'MONGODB_URI' : 'FerretDB (SQLite)'}`);
    const env = loadEnv(rawEnv);
    // Seed before the app starts, as a district with years of data would be (no app running:
    // FerretDB's SQLite backend answers SQLITE_BUSY to bulk inserts racing the workers' writes).
    const seedConnection = await connectMongo(uri);
    const now = Date.now();
    await seedHistory(seedConnection, args.cases, { districtId: 'demo-district', streetId: 'wenming', communityIds: ['nongji', 'jiangjunfu', 'heping'], log });
    await seedConnection.close();

    const app = await startApp(env, createLogger({ level: 'warn' }), rawEnv);
    const base = app.runtime.url!;
    const cookie = await consoleLogin(base, (u) => app.sandbox!.fake.issueOAuthCode(u), 'district-admin');
    const get = async (path: string) => {
      const response = await fetch(`${base}${path}`, { headers: { cookie } });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.arrayBuffer();
    };
    const loadMs = await timed(() => get('/console/api/board'));
    log(`read model: first board answer after ${(loadMs / 1000).toFixed(1)} s (loads ${args.cases.toLocaleString('en')} case summaries; later answers use it)`);

    const filters = [
      'state=open&category=road&sort=due&order=asc',
      'light=red&sort=createdAt',
      `street=wenming&community=heping&from=${localDate(new Date(now - 90 * DAY), 'Asia/Shanghai')}&sort=urgency`,
      'q=%E5%B0%86%E5%86%9B%E5%BA%9C&state=closed&page=3',
      'dept=zhujian&urgency=emergency&sort=number&order=asc',
    ];
    const board: number[] = [];
    const list: number[] = [];
    const boardCpu: number[] = [];
    const listCpu: number[] = [];
    for (let i = 0; i < args.requests; i++) {
      board.push(await cpuTimed(() => get('/console/api/board'), boardCpu));
      list.push(await cpuTimed(() => get(`/console/api/cases?${filters[i % filters.length]}`), listCpu));
    }
    const month = localDate(new Date(now), 'Asia/Shanghai').slice(0, 7);
    const reportJson: number[] = [];
    const reportXlsx: number[] = [];
    const exportXlsx: number[] = [];
    for (let i = 0; i < 5; i++) {
      reportJson.push(await timed(() => get(`/console/api/report?month=${month}`)));
      reportXlsx.push(await timed(() => get(`/console/api/report.xlsx?month=${month}`)));
      exportXlsx.push(await timed(() => get('/console/api/cases/export.xlsx?state=open&category=road')));
    }
    const rankings = await timed(() => get(`/console/api/rankings?month=${month}`));

    // Baseline: the same list and the month's figures asked of the store.
    const repository = new CaseRepository(app.runtime.mongo);
    const model = caseModel(app.runtime.mongo);
    const storeList: number[] = [];
    const storeStats: number[] = [];
    for (let i = 0; i < args.baselineRuns; i++) {
      storeList.push(await timed(async () => {
        const filter = { districtId: 'demo-district', state: { $in: [...OPEN_CASE_STATES] }, 'parsed.category': 'road' };
        await Promise.all([model.find(filter, { timeline: 0 }).sort({ createdAt: -1 }).limit(20).lean().exec(), model.countDocuments(filter).exec()]);
      }));
      const period = monthPeriod(month, 'Asia/Shanghai');
      if (args.baselineStats) storeStats.push(await timed(() => repository.departmentStats({ from: period.from, to: period.to, districtId: 'demo-district' })));
    }
    await app.runtime.stop();

    // A restart on the same Redis: the read model comes from the snapshot the first start filled.
    const restarted = await startApp(env, createLogger({ level: 'warn' }), rawEnv);
    const restartCookie = await consoleLogin(restarted.runtime.url!, (u) => restarted.sandbox!.fake.issueOAuthCode(u), 'district-admin');
    const restartLoadMs = await timed(async () => {
      const response = await fetch(`${restarted.runtime.url}/console/api/board`, { headers: { cookie: restartCookie } });
      if (!response.ok) throw new Error(`board after the restart: ${response.status}`);
    });
    log(`read model after a restart: first board answer after ${(restartLoadMs / 1000).toFixed(1)} s (from the Redis snapshot; the store is checked in the background)`);
    await restarted.runtime.stop();

    const figures = { board: latencies(board), list: latencies(list), boardCpu: latencies(boardCpu), listCpu: latencies(listCpu), reportJson: latencies(reportJson), reportXlsx: latencies(reportXlsx), exportXlsx: latencies(exportXlsx), rankingsMs: rankings, storeList: latencies(storeList), storeStats: latencies(storeStats), loadMs, restartLoadMs };
    log('');
    log(`board (all ${args.cases.toLocaleString('en')} cases, district admin): ${fmt(figures.board)}`);
    log(`filtered case list (5 filters in rotation):     ${fmt(figures.list)}`);
    log(`CPU per request (app and client, one process): board ${fmt(figures.boardCpu)}; list ${fmt(figures.listCpu)}`);
    log(`monthly report JSON:  ${fmt(figures.reportJson)}`);
    log(`monthly report .xlsx: ${fmt(figures.reportXlsx)}`);
    log(`rankings with 6-month trend: ${rankings.toFixed(1)} ms`);
    log(`filtered .xlsx export (open road cases): ${fmt(figures.exportXlsx)}`);
    log(`baseline, same list from the store (find+count): ${fmt(figures.storeList)} → read model p95 is ${(figures.storeList.p95 / Math.max(0.1, figures.list.p95)).toFixed(0)}× faster`);
    log(`baseline, month's figures from the store ($group per figure): ${args.baselineStats ? fmt(figures.storeStats) : 'skipped (add --baseline-stats; minutes per run on FerretDB)'}`);
    log(`targets: board and list p95 < 300 ms → ${figures.board.p95 < 300 && figures.list.p95 < 300 ? 'met' : 'MISSED'}; monthly report < 5 s → ${figures.reportXlsx.max < 5000 ? 'met' : 'MISSED'}`);
    log(JSON.stringify({ args, figures }));
  } catch (error) {
    // Keep what the store said: a crash of the store is the usual cause of a failed seed.
    try { log(readFileSync(join(dir, 'ferretdb', 'ferretdb.log'), 'utf8').split('\n').slice(-15).join('\n')); } catch { /* no log */ }
    throw error;
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
