import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from '../../config';
import { createLogger } from '../../infra/logger';
import { ConnectionStates } from 'mongoose';
import { startRuntime, type Infrastructure, type Runtime } from '../../app/runtime';
import { testMongoUri, testPrefix, testRedisUrl } from '../support/isolation';
import { startFerretdb, type RunningFerretdb } from '../../scripts/services/ferretdb';
import { startRedisServer, type RunningRedis } from '../../scripts/services/redis';
import { waitUntil } from '../../scripts/services/process';

interface Readiness { status: string; failed?: string[]; details?: { calendar?: { years: Record<string, string>; warning?: string }; store?: unknown } }

async function readiness(url: string): Promise<{ code: number; body: Readiness }> {
  const response = await fetch(`${url}/readyz`);
  return { code: response.status, body: (await response.json()) as Readiness };
}

/** Own Redis and FerretDB servers: this test kills and restarts them, which the shared ones must never see. */
describe('/readyz follows Redis and the store going away and coming back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readyz-'));
  let redis: RunningRedis;
  let ferret: RunningFerretdb;
  let runtime: Runtime;
  let redisPort: number;
  let ferretPort: number;

  beforeAll(async () => {
    redis = await startRedisServer({ dir: join(dir, 'redis') });
    ferret = await startFerretdb({ dir: join(dir, 'ferret') });
    redisPort = Number(new URL(redis.url).port);
    ferretPort = Number(new URL(ferret.uri).port);
    const env = loadEnv({ MONGODB_URI: ferret.uri, REDIS_URL: redis.url, PORT: '0', HOST: '127.0.0.1', ROLE: 'web' });
    runtime = await startRuntime(env, createLogger({ level: 'silent' }));
  });

  afterAll(async () => {
    await runtime.stop();
    await redis.stop();
    await ferret.stop();
  });

  const url = () => runtime.url!;

  it('answers 200 and /healthz while both answer', async () => {
    expect(await readiness(url())).toEqual({ code: 200, body: expect.objectContaining({ status: 'ready' }) });
    expect((await fetch(`${url()}/healthz`)).status).toBe(200);
  });

  it('names in its details which holiday data covers this year and the next', async () => {
    const year = new Date().getFullYear();
    const { body } = await readiness(url());
    expect(Object.keys(body.details?.calendar?.years ?? {}).map(Number)).toEqual(expect.arrayContaining([year, year + 1]));
    const fallback = Object.values(body.details?.calendar?.years ?? {}).includes('fallback');
    expect(body.details?.calendar?.warning !== undefined).toBe(fallback);
  });

  it('names in its details how full the store is against the default store\'s ceiling', async () => {
    const { body } = await readiness(url());
    expect(body.details?.store).toMatchObject({ server: 'ferretdb', cases: 0, ceiling: 200_000, level: 'ok' });
  });

  it('turns 503 naming redis when Redis stops, and 200 when it is back', async () => {
    await redis.stop();
    await waitUntil(async () => (await readiness(url())).code === 503, 10_000, 'readyz to notice Redis is gone');
    expect((await readiness(url())).body).toMatchObject({ status: 'not_ready', failed: ['redis'] });
    expect((await fetch(`${url()}/healthz`)).status).toBe(200);

    redis = await startRedisServer({ dir: join(dir, 'redis'), port: redisPort });
    await waitUntil(async () => (await readiness(url())).code === 200, 15_000, 'readyz to see Redis again');
  });

  it('turns 503 naming the store when it stops, and 200 when it is back', async () => {
    await ferret.stop();
    await waitUntil(async () => (await readiness(url())).code === 503, 10_000, 'readyz to notice the store is gone');
    expect((await readiness(url())).body).toMatchObject({ status: 'not_ready', failed: ['store'] });

    ferret = await startFerretdb({ dir: join(dir, 'ferret'), port: ferretPort });
    await waitUntil(async () => (await readiness(url())).code === 200, 30_000, 'readyz to see the store again');
  });
});

describe('a start that fails half-way', () => {
  it('closes the store and Redis connections it opened before answering with the error', async () => {
    const env = loadEnv({ MONGODB_URI: testMongoUri('runtime_failed_start'), REDIS_URL: testRedisUrl(), QUEUE_PREFIX: testPrefix('runtime_failed_start'), PORT: '0', HOST: '127.0.0.1', ROLE: 'all' });
    let opened: Infrastructure | undefined;
    const failingCompose = (infra: Infrastructure): never => {
      opened = infra;
      throw new Error('a module refused its configuration');
    };
    await expect(startRuntime(env, createLogger({ level: 'silent' }), failingCompose)).rejects.toThrow('a module refused its configuration');
    expect(opened?.mongo.readyState).toBe(ConnectionStates.disconnected);
    // QUIT is answered before the socket has closed: the client reaches 'end' a moment later.
    await waitUntil(async () => opened?.redis.status === 'end', 5_000, 'the Redis client to close').catch(() => undefined);
    expect(opened?.redis.status).toBe('end');
  });
});
