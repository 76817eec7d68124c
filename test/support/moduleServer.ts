import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { closeAll } from '../../app/closeables';
import type { AppModule, Infrastructure } from '../../app/runtime';
import { loadEnv } from '../../config';
import { loadDistrictSeed } from '../../config/district';
import { createLogger } from '../../infra/logger';
import { connectMongo } from '../../store/connection';
import { OrgRepository } from '../../store/orgRepository';
import { createWebApp } from '../../web/app';
import { testMongoUri, testPrefix, testRedisUrl } from './isolation';

export interface ModuleServer {
  infra: Infrastructure;
  url: string;
  stop(): Promise<void>;
}

/**
 * One app module, built by `build` as the composition root builds it, on real Redis and FerretDB
 * with the demo district: its workers started (and closed with the rest) and its routes served
 * over HTTP, as the runtime would for both roles.
 */
export async function serveModule(label: string, build: (infra: Infrastructure) => AppModule, env: Record<string, string> = {}): Promise<ModuleServer> {
  const loaded = loadEnv({ MONGODB_URI: testMongoUri(label), REDIS_URL: testRedisUrl(), QUEUE_PREFIX: testPrefix(label), LOG_LEVEL: 'silent', ...env });
  const mongo = await connectMongo(loaded.MONGODB_URI);
  const org = new OrgRepository(mongo);
  await org.loadSeed(loadDistrictSeed(loaded.DISTRICT_CONFIG));
  const redis = new Redis(loaded.REDIS_URL);
  const infra: Infrastructure = { env: loaded, logger: createLogger({ level: 'silent' }), mongo, redis, org, closeables: [{ name: 'mongo', close: () => mongo.close() }, { name: 'redis', close: async () => void redis.disconnect() }] };
  const module = build(infra);
  infra.closeables.push(...((await module.startWorkers?.()) ?? []));
  infra.closeables.push(...((await module.startReceiving?.()) ?? []));
  const server = createServer(createWebApp({ logger: infra.logger, routers: module.routers?.() ?? [] }).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    infra,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mongo.dropDatabase();
      await closeAll(infra.closeables, 10_000, infra.logger);
    },
  };
}
