/**
 * Unsigned junk against the callback route, with /healthz timed beside it (issue 14 item 1).
 *
 *   npm run bench:abuse -- --senders=16 --probes=400
 *
 * The app runs in its own process (sandbox mode, ROLE=web) on private Redis and FerretDB. First
 * /healthz is timed with nobody else talking; then again while `senders` clients loop posting a
 * 1 MB body — `<xml><Encrypt>abcd</Encrypt>` and `<b>1</b>` × 120,000 with a made-up
 * `msg_signature` — whose answers are timed too. Twice, side by side: a baseline app that answers
 * refusals at once (WECOM_REFUSAL_DELAY_MS=0), then one with the delay (`--refusal-delay-ms`, 1000).
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { startFerretdb } from '../scripts/services/ferretdb';
import { freePort, waitUntil } from '../scripts/services/process';
import { startRedisServer } from '../scripts/services/redis';
import { positiveArg } from './args';
import { formatLatencies, latencies, type Latencies } from './latency';
import { stopOnSignal } from './stopOnSignal';

const log = (line: string) => process.stdout.write(`${line}\n`);
const JUNK = Buffer.from(`<xml><Encrypt>abcd</Encrypt>${'<b>1</b>'.repeat(120_000)}</xml>`);

/** One request on a fresh connection; resolves with the status and the milliseconds to the answer. */
function send(port: number, method: 'GET' | 'POST', path: string, body?: Buffer): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers: body ? { 'content-type': 'text/xml', 'content-length': body.length } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    // A refused body closes the connection before all of it was written: that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? resolve({ status: -1, ms: performance.now() - started }) : reject(error)));
    req.end(body);
  });
}

const fmt = (s: Latencies) => formatLatencies(s, ['p50', 'p99'], 2);

async function probeHealth(port: number, probes: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < probes; i++) {
    const { status, ms } = await send(port, 'GET', '/healthz');
    if (status !== 200) throw new Error(`/healthz answered ${status}`);
    times.push(ms);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return times;
}

interface PhaseFigures {
  quiet: Latencies;
  loaded: Latencies;
  refused: Latencies;
  statuses: Record<number, number>;
}

/** One app process with this refusal delay: /healthz quiet, then under the senders. */
async function measure(label: string, refusalDelayMs: number, senders: number, probes: number, dir: string, stores: { redisUrl: string; mongoUri: string }): Promise<PhaseFigures> {
  const port = await freePort();
  const app = spawn(process.execPath, [require.resolve('tsx/cli'), join(__dirname, '../app/main.ts')], {
    env: {
      ...process.env,
      MONGODB_URI: stores.mongoUri,
      REDIS_URL: stores.redisUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      ROLE: 'web',
      LOG_LEVEL: 'error',
      QUEUE_PREFIX: `benchabuse${refusalDelayMs}`,
      MEDIA_DIR: join(dir, 'media'),
      WECOM_REFUSAL_DELAY_MS: String(refusalDelayMs),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitUntil(async () => (await send(port, 'GET', '/healthz').catch(() => ({ status: 0 }))).status === 200, 60_000, 'the app to answer /healthz');
    await probeHealth(port, 50); // warm up
    const quiet = latencies(await probeHealth(port, probes));
    log(`[${label}] /healthz, nobody else talking: ${fmt(quiet)}`);

    let abusing = true;
    const junk: number[] = [];
    const statuses: Record<number, number> = {};
    const abusers = Array.from({ length: senders }, async (_, i) => {
      while (abusing) {
        const { status, ms } = await send(port, 'POST', `/wecom/callback?msg_signature=${'0'.repeat(39)}${i}&timestamp=${Math.floor(Date.now() / 1000)}&nonce=n${i}`, JUNK);
        junk.push(ms);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    });
    const loaded = latencies(await probeHealth(port, probes));
    abusing = false;
    await Promise.all(abusers);
    const refused = latencies(junk);
    log(`[${label}] /healthz under ${senders} senders of 1 MB junk: ${fmt(loaded)} → p99 ${(loaded.p99 / Math.max(0.01, quiet.p99)).toFixed(2)}× the quiet p99`);
    log(`[${label}] junk answered (client-side, includes sending): ${fmt(refused)}; ${junk.length} tries; statuses ${JSON.stringify(statuses)} (-1: connection closed while the body was still being sent)`);
    return { quiet, loaded, refused, statuses };
  } finally {
    app.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const senders = positiveArg(argv, 'senders', 16, true);
  const probes = positiveArg(argv, 'probes', 400, true);
  const delayMs = positiveArg(argv, 'refusal-delay-ms', 1_000, true);
  const dir = join(__dirname, '../.data', `bench-abuse-${process.pid}`);
  const redis = await startRedisServer({ dir: join(dir, 'redis'), log });
  const ferret = await startFerretdb({ dir: join(dir, 'ferretdb'), log });
  const cleanup = async () => {
    await Promise.allSettled([redis.stop(), ferret.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
  stopOnSignal(cleanup);
  try {
    log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${senders} abusive senders, ${probes} /healthz probes per phase`);
    const stores = { redisUrl: redis.url, mongoUri: ferret.uri };
    // The baseline answers refusals at once (WECOM_REFUSAL_DELAY_MS=0), as the code did before the delay.
    const baseline = await measure('baseline, no refusal delay', 0, senders, probes, dir, stores);
    const current = await measure(`refusal delay ${delayMs} ms`, delayMs, senders, probes, dir, stores);
    const ratio = (f: PhaseFigures) => f.loaded.p99 / Math.max(0.01, f.quiet.p99);
    log(`loaded/quiet /healthz p99: baseline ${ratio(baseline).toFixed(2)}×, with the delay ${ratio(current).toFixed(2)}×; junk tries ${baseline.refused.n} vs ${current.refused.n}`);
    log(JSON.stringify({ senders, probes, delayMs, baseline, current }));
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
