import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import type { Infrastructure } from '../../app/runtime';
import { closeAll } from '../../app/closeables';
import { statsModule } from '../../app/statsModule';
import { loadEnv } from '../../config';
import { loadDistrictSeed } from '../../config/district';
import { createLogger } from '../../infra/logger';
import { connectMongo } from '../../store/connection';
import { OrgRepository } from '../../store/orgRepository';
import { createWebApp } from '../../web/app';
import { testMongoUri, testPrefix, testRedisUrl } from '../support/isolation';

/** The statistics API as the composition root mounts it on the web role. */
describe('statsModule', () => {
  let infra: Infrastructure;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const env = loadEnv({ MONGODB_URI: testMongoUri('stats_module'), REDIS_URL: testRedisUrl(), QUEUE_PREFIX: testPrefix('stats_module'), STATS_API_TOKEN: 'module-token', LOG_LEVEL: 'silent' });
    const mongo = await connectMongo(env.MONGODB_URI);
    const org = new OrgRepository(mongo);
    await org.loadSeed(loadDistrictSeed(env.DISTRICT_CONFIG));
    const redis = new Redis(env.REDIS_URL);
    infra = { env, logger: createLogger({ level: 'silent' }), mongo, redis, org, closeables: [{ name: 'mongo', close: () => mongo.close() }, { name: 'redis', close: async () => void redis.disconnect() }] };
    server = createServer(createWebApp({ logger: infra.logger, routers: statsModule().routers?.(infra) ?? [] }).callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await infra.mongo.dropDatabase();
    await closeAll(infra.closeables, 10_000, infra.logger);
  });

  it('serves the stats API behind STATS_API_TOKEN', async () => {
    expect((await fetch(`${url}/api/stats/departments`)).status).toBe(401);
    const response = await fetch(`${url}/api/stats/departments?from=2026-01-01&to=2026-12-31&street=wenming`, { headers: { authorization: 'Bearer module-token' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ period: { street: 'wenming' }, departments: [] });
  });
});
