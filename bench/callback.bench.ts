/**
 * Inbound callback benchmark: encrypted, signed text callbacks POSTed at rising concurrency to
 *   - the full inbound path (verify signature + timestamp, decrypt, check receive id, parse XML,
 *     normalise, dedupe, persist durably, enqueue) — the production wiring, QueueFirstAcceptor;
 *   - a bare Koa route that only answers 200 "success";
 * plus, for comparison, a short run of the StoreFirstAcceptor (a MongoDB write per callback).
 *
 *   npm run bench:callback -- --requests=4000 --levels=1,8,32,64 --rounds=4 [--drain] [--breakdown] [--fsync-always]
 *
 * The load generator runs in a forked process (its own core, keep-alive sockets); requests are
 * encrypted and signed before timing, since that work is WeChat Work's, not ours. Loopback only;
 * private Redis (AOF on) and FerretDB are started here and stopped at the end.
 * `--drain` then runs the inbound worker until every accepted callback is in MongoDB and handled;
 * `--breakdown` adds the gateway with a no-op hand-off (what verify/decrypt/parse alone cost);
 * `--fsync-always` sets Redis `appendfsync always` (no acknowledged callback lost even to power loss).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Koa from 'koa';
import Router from '@koa/router';
import type { RedisClient } from '../infra/redis';
import pino from 'pino';
import { createWecomCallbackRouter } from '../bots/wecom/callbackRouter';
import type { InboundAcceptor } from '../bots/wecom/inboundPorts';
import { encryptCallback, signCallback } from '../bots/wecom/crypto';
import { buildCallbackXml } from '../bots/wecom/xml';
import { createRedis } from '../infra/redis';
import { QueueFirstAcceptor, StoreFirstAcceptor } from '../jobs/inbound/acceptors';
import { InboundDispatcher } from '../jobs/inbound/dispatcher';
import { InboundEventStore } from '../jobs/inbound/eventStore';
import { InboundQueue } from '../jobs/inbound/queue';
import { createInboundWorker } from '../jobs/inbound/worker';
import { startFerretdb } from '../scripts/services/ferretdb';
import { startRedisServer } from '../scripts/services/redis';
import { stopOnSignal } from './stopOnSignal';
import { connectMongo } from '../store/connection';

const CORP = { corpId: 'wwbenchcorp', token: 'BenchToken', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', agentId: 1000002 };

interface PreparedRequest {
  path: string;
  body: string;
}

interface LoadRequest {
  port: number;
  concurrency: number;
  requests: PreparedRequest[];
}

interface LoadResult {
  wallMs: number;
  latenciesMs: number[];
  non200: number;
}

interface Row {
  target: string;
  concurrency: number;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU of this (server) process per callback, µs: a figure the other tenants of the machine disturb less. */
  serverCpuUs: number;
  /** CPU of redis-server per callback, µs. */
  redisCpuUs: number;
  non200: number;
}

interface Sample {
  wallMs: number;
  latenciesMs: number[];
  non200: number;
  cpuUs: number;
  redisCpuUs: number;
}

// ---------- load generator (forked child) ----------

async function runLoad(request: LoadRequest): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: request.concurrency });
  const latenciesMs: number[] = [];
  let next = 0;
  let non200 = 0;
  const one = (prepared: PreparedRequest) =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const req = http.request(
        { host: '127.0.0.1', port: request.port, path: prepared.path, method: 'POST', agent, headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(prepared.body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            latenciesMs.push(performance.now() - started);
            if (res.statusCode !== 200) non200 += 1;
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(prepared.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: request.concurrency }, async () => {
      while (next < request.requests.length) {
        const prepared = request.requests[next];
        next += 1;
        if (prepared) await one(prepared);
      }
    }),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  return { wallMs, latenciesMs, non200 };
}

if (process.argv.includes('--load-generator')) {
  process.on('message', (message: LoadRequest) => {
    runLoad(message).then(
      (result) => process.send?.(result),
      (error: unknown) => {
        process.stderr.write(`load generator failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  });
}

// ---------- bench driver ----------

function arg(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}

let msgSeq = BigInt(Date.now()) * 1000n;

function prepare(count: number): PreparedRequest[] {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return Array.from({ length: count }, (_, i) => {
    msgSeq += 1n;
    const xml = buildCallbackXml({
      ToUserName: CORP.corpId,
      FromUserName: `user${i % 500}`,
      CreateTime: Number(timestamp),
      MsgType: 'text',
      Content: '幸福路12号的路灯坏了三天了，晚上很黑，老人走路不安全，请尽快派人修理。',
      MsgId: msgSeq.toString(),
      AgentID: CORP.agentId,
    });
    const encrypted = encryptCallback(CORP.encodingAesKey, xml, CORP.corpId);
    const nonce = `n${i}`;
    const signature = signCallback(CORP.token, timestamp, nonce, encrypted);
    return {
      path: `/wecom/callback?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
      body: buildCallbackXml({ ToUserName: CORP.corpId, AgentID: CORP.agentId, Encrypt: encrypted }),
    };
  });
}

function listen(app: Koa): Promise<http.Server> {
  return new Promise((resolve) => {
    const server = http.createServer(app.callback());
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function gatewayApp(inbound: InboundAcceptor): Koa {
  const router = createWecomCallbackRouter({
    config: { ...CORP, maxBodyBytes: 1024 * 1024, timestampWindowSeconds: 300 },
    logger: pino({ level: 'warn' }),
    inbound,
  });
  const app = new Koa();
  app.use(router.routes());
  return app;
}

function bareApp(): Koa {
  const router = new Router();
  router.post('/wecom/callback', (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = 'success';
  });
  const app = new Koa();
  app.use(router.routes());
  return app;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function redisCpuSeconds(redis: RedisClient): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
}

async function sample(child: ChildProcess, redis: RedisClient, server: http.Server, concurrency: number, requests: PreparedRequest[]): Promise<Sample> {
  const port = (server.address() as AddressInfo).port;
  const redisBefore = await redisCpuSeconds(redis);
  const cpuBefore = process.cpuUsage();
  const result = await new Promise<LoadResult>((resolve) => {
    child.once('message', (message) => resolve(message as LoadResult));
    child.send({ port, concurrency, requests } satisfies LoadRequest);
  });
  const cpu = process.cpuUsage(cpuBefore);
  const redisAfter = await redisCpuSeconds(redis);
  return { ...result, cpuUs: cpu.user + cpu.system, redisCpuUs: (redisAfter - redisBefore) * 1e6 };
}

function summarise(target: string, concurrency: number, samples: Sample[]): Row {
  const requests = samples.reduce((sum, s) => sum + s.latenciesMs.length, 0);
  const wallMs = samples.reduce((sum, s) => sum + s.wallMs, 0);
  const sorted = samples.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  return {
    target,
    concurrency,
    requests,
    perSecond: Math.round((requests / wallMs) * 1000),
    p50: Number(percentile(sorted, 50).toFixed(2)),
    p99: Number(percentile(sorted, 99).toFixed(2)),
    serverCpuUs: Math.round(samples.reduce((sum, s) => sum + s.cpuUs, 0) / requests),
    redisCpuUs: Math.round(samples.reduce((sum, s) => sum + s.redisCpuUs, 0) / requests),
    non200: samples.reduce((sum, s) => sum + s.non200, 0),
  };
}

/**
 * Runs the targets in alternating rounds so a burst of load from elsewhere on the machine lands
 * on all of them alike; each target's rounds are then pooled.
 */
async function compare(child: ChildProcess, redis: RedisClient, targets: Array<[string, http.Server]>, concurrency: number, perTarget: number, rounds: number): Promise<Row[]> {
  const samples = new Map<string, Sample[]>(targets.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, server] of targets) {
      samples.get(name)?.push(await sample(child, redis, server, concurrency, prepare(Math.ceil(perTarget / rounds))));
    }
  }
  return targets.map(([name]) => summarise(name, concurrency, samples.get(name) ?? []));
}

async function main(): Promise<void> {
  const perLevel = Number(arg('requests', '4000'));
  const levels = arg('levels', '1,8,32,64').split(',').map(Number);
  const storeFirstRequests = Number(arg('store-first-requests', '400'));
  const rounds = Number(arg('rounds', '4'));
  const drain = process.argv.includes('--drain');
  const dir = join(__dirname, '..', '.data', `bench-callback-${process.pid}`);
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

  const redisServer = await startRedisServer({ dir: join(dir, 'redis'), log });
  const ferret = await startFerretdb({ dir: join(dir, 'ferretdb'), log });
  stopOnSignal(async () => {
    await Promise.allSettled([redisServer.stop(), ferret.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });
  const child = fork(__filename, ['--load-generator'], { execArgv: process.execArgv, stdio: 'inherit' });
  // Wired as app/wecomGateway.ts does: a plain client for the seen-markers, BullMQ's own connection.
  const redis = createRedis(redisServer.url);
  const mongo = await connectMongo(ferret.uri.replace(/\/[^/]*$/, '/bench_callback'));
  const store = new InboundEventStore(mongo);
  const queue = new InboundQueue({ connection: { url: redisServer.url }, prefix: 'bench' });
  const servers: http.Server[] = [];
  try {
    const bare = await listen(bareApp());
    const full = await listen(gatewayApp(new QueueFirstAcceptor(queue, redis)));
    servers.push(bare, full);
    if (process.argv.includes('--fsync-always')) await redis.config('SET', 'appendfsync', 'always');
    log(`redis appendonly=${(await redis.config('GET', 'appendonly'))[1]} appendfsync=${(await redis.config('GET', 'appendfsync'))[1]}`);

    const breakdown = process.argv.includes('--breakdown') ? await listen(gatewayApp({ accept: async () => 'new' })) : undefined;
    if (breakdown) servers.push(breakdown);
    const targets: Array<[string, http.Server]> = [['bare route', bare], ['full path', full]];
    if (breakdown) targets.push(['verify+decrypt+parse only', breakdown]);
    const warmUp = await compare(child, redis, targets, 8, 500, 1);
    const rows: Row[] = [];
    for (const concurrency of levels) {
      const level = await compare(child, redis, targets, concurrency, perLevel, rounds);
      rows.push(...level);
      log(`c=${concurrency}: ${level.map((r) => `${r.target} ${r.perSecond}/s p99 ${r.p99} ms`).join('; ')}`);
    }

    const storeFirst = await listen(gatewayApp(new StoreFirstAcceptor(store, queue)));
    servers.push(storeFirst);
    rows.push(...(await compare(child, redis, [['store-first (MongoDB write per callback)', storeFirst]], 8, storeFirstRequests, 1)));

    console.table(rows);
    console.log('full path / bare route rate:');
    for (const concurrency of levels) {
      const b = rows.find((r) => r.target === 'bare route' && r.concurrency === concurrency);
      const f = rows.find((r) => r.target === 'full path' && r.concurrency === concurrency);
      if (b && f) console.log(`  c=${concurrency}: ${((f.perSecond / b.perSecond) * 100).toFixed(1)}%`);
    }

    if (drain) {
      const accepted = [...warmUp, ...rows].filter((r) => r.target.startsWith('full') || r.target.startsWith('store-first')).reduce((sum, r) => sum + r.requests - r.non200, 0);
      log(`draining ${await queue.queue.getWaitingCount()} queued of ${accepted} accepted callbacks through the worker into FerretDB…`);
      const handled = { count: 0 };
      const dispatcher = new InboundDispatcher().on('text', () => void (handled.count += 1));
      const started = performance.now();
      const worker = createInboundWorker({ connection: { url: redisServer.url }, redis, prefix: 'bench', store, dispatcher, logger: pino({ level: 'warn' }), concurrency: 16 });
      let lastProgress = performance.now();
      while ((await queue.queue.getWaitingCount()) + (await queue.queue.getActiveCount()) > 0) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        if (performance.now() - lastProgress >= 10_000) {
          lastProgress = performance.now();
          log(`  drained ${handled.count} of ${accepted} after ${((lastProgress - started) / 1000).toFixed(0)} s`);
        }
      }
      await worker.close();
      const seconds = (performance.now() - started) / 1000;
      const counts = await queue.queue.getJobCounts();
      const stored = await store.count();
      console.log(`drained in ${seconds.toFixed(1)} s: accepted ${accepted}, in MongoDB ${stored}, dispatched ${handled.count} (${Math.round(handled.count / seconds)}/s), jobs ${JSON.stringify(counts)}`);
      console.log(stored === accepted && handled.count === accepted ? 'OK: every accepted callback stored and handled exactly once' : 'MISMATCH: see the counts above');
    } else {
      console.log(`${await queue.queue.getWaitingCount()} callbacks left queued (run with --drain to process them into MongoDB)`);
    }
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    child.kill();
    await queue.close();
    redis.disconnect();
    await mongo.close();
    await redisServer.stop();
    await ferret.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!process.argv.includes('--load-generator')) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
