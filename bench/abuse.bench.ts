/**
 * Unsigned junk against the callback route, with /healthz timed beside it (issue 14 item 1).
 *
 *   npm run bench:abuse -- --senders=16 --probes=400
 *
 * The app runs in its own process (sandbox mode, ROLE=web) on private Redis and FerretDB. First
 * /healthz is timed with nobody else talking (the baseline); then again while `senders` clients
 * loop posting a 1 MB body — `<xml><Encrypt>abcd</Encrypt>` and `<b>1</b>` × 120,000 with a made-up
 * `msg_signature` — whose answers are timed too.
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

function stats(samples: number[]): { p50: number; p99: number; max: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: s.at(-1) ?? 0, n: s.length };
}
const fmt = (s: ReturnType<typeof stats>) => `p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, max ${s.max.toFixed(1)} ms (n=${s.n})`;

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

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const senders = positiveArg(argv, 'senders', 16, true);
  const probes = positiveArg(argv, 'probes', 400, true);
  const dir = join(__dirname, '../.data', `bench-abuse-${process.pid}`);
  const redis = await startRedisServer({ dir: join(dir, 'redis'), log });
  const ferret = await startFerretdb({ dir: join(dir, 'ferretdb'), log });
  const port = await freePort();
  const app = spawn(process.execPath, [require.resolve('tsx/cli'), join(__dirname, '../app/main.ts')], {
    env: { ...process.env, MONGODB_URI: ferret.uri, REDIS_URL: redis.url, PORT: String(port), HOST: '127.0.0.1', ROLE: 'web', LOG_LEVEL: 'error', QUEUE_PREFIX: 'benchabuse', MEDIA_DIR: join(dir, 'media') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const cleanup = async () => {
    app.kill('SIGTERM');
    await Promise.allSettled([redis.stop(), ferret.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
  stopOnSignal(cleanup);
  try {
    log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${senders} abusive senders, ${probes} /healthz probes per phase`);
    await waitUntil(async () => (await send(port, 'GET', '/healthz').catch(() => ({ status: 0 }))).status === 200, 60_000, 'the app to answer /healthz');
    await probeHealth(port, 50); // warm up
    const quiet = stats(await probeHealth(port, probes));
    log(`/healthz, nobody else talking: ${fmt(quiet)}`);

    let abusing = true;
    const junk: number[] = [];
    const statuses = new Map<number, number>();
    const abusers = Array.from({ length: senders }, async (_, i) => {
      while (abusing) {
        const { status, ms } = await send(port, 'POST', `/wecom/callback?msg_signature=${'0'.repeat(39)}${i}&timestamp=${Math.floor(Date.now() / 1000)}&nonce=n${i}`, JUNK);
        junk.push(ms);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    });
    const loaded = stats(await probeHealth(port, probes));
    abusing = false;
    await Promise.all(abusers);
    const refused = stats(junk);
    log(`/healthz under ${senders} senders of 1 MB junk: ${fmt(loaded)} → p99 ${(loaded.p99 / Math.max(0.01, quiet.p99)).toFixed(2)}× the quiet p99`);
    log(`junk answered (client-side, includes sending): ${fmt(refused)}; statuses ${JSON.stringify(Object.fromEntries(statuses))} (-1: connection closed while the body was still being sent)`);
    log(JSON.stringify({ senders, probes, quiet, loaded, refused, statuses: Object.fromEntries(statuses) }));
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
