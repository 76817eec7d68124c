import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RedisClient } from '../infra/redis';
import type { Connection } from 'mongoose';
import type Router from '@koa/router';
import type { Env } from '../config';
import { loadDistrictSeed } from '../config/district';
import type { Logger } from '../infra/logger';
import { RedisOrgChanges } from '../infra/orgChanges';
import { createRedis, redisIsReady } from '../infra/redis';
import { connectMongo, mongoIsReady } from '../store/connection';
import { OrgRepository } from '../store/orgRepository';
import { createWebApp } from '../web/app';
import { healthRoutes } from '../web/healthRoutes';
import { calendarStatus } from './calendarStatus';
import { watchStoreCapacity } from './storeCapacityWatch';
import type { StoreLoad } from '../store/storeCapacity';
import { closeAll, type Closeable } from './closeables';
import { directorySyncFor } from './directory';

export interface Runtime {
  env: Env;
  logger: Logger;
  mongo: Connection;
  redis: RedisClient;
  org: OrgRepository;
  /** Base URL of the HTTP server when the role includes `web`. */
  url?: string;
  stop(): Promise<boolean>;
}

export interface Infrastructure {
  env: Env;
  logger: Logger;
  mongo: Connection;
  redis: RedisClient;
  org: OrgRepository;
  /** "The organisation changed" between processes (Redis pub/sub): caches of it listen, syncs publish. */
  orgChanges?: RedisOrgChanges;
  closeables: Closeable[];
  /** Long-lived responses (server-sent events), ended before the HTTP server closes. */
  streams?: Closeable[];
  /** The address the HTTP server listens on, once it does (the sandbox's default PUBLIC_BASE_URL). */
  listeningUrl?: () => string | undefined;
  /** How full the store is against the default store's ceiling (undefined until measured). */
  storeLoad?: () => StoreLoad | undefined;
}

/** Where links to this service start: PUBLIC_BASE_URL, or in the sandbox the address it listens on. Never a request's Host. */
export function publicBaseUrl(infra: Pick<Infrastructure, 'env' | 'listeningUrl'>): string {
  const url = infra.env.PUBLIC_BASE_URL ?? infra.listeningUrl?.();
  if (!url) throw new Error('PUBLIC_BASE_URL is not set and the HTTP server is not listening yet');
  return url;
}

/**
 * A part of the app (gateway, lifecycle, deadlines…), built once for one Infrastructure by the
 * composition root (app/compose.ts): it contributes routes when the process serves web traffic
 * and workers when it works.
 */
export interface AppModule {
  routers?(): Router[];
  /** Worker role: register this module's listeners and start its workers. */
  startWorkers?(): Promise<Closeable[]>;
  /** Worker role, after every module's `startWorkers`: start taking inbound events (so every listener is registered first). */
  startReceiving?(): Promise<Closeable[]>;
}

/** The composition root: builds every module of the app once, in plain order, for one Infrastructure. */
export type ComposeApp = (infra: Infrastructure) => AppModule[] | Promise<AppModule[]>;

/** The worker role (`ROLE=worker` or `all`) runs the queues' workers. */
export function runsWorkers(env: Pick<Env, 'ROLE'>): boolean {
  return env.ROLE === 'worker' || env.ROLE === 'all';
}

/** The web role (`ROLE=web` or `all`) serves HTTP. */
export function servesWeb(env: Pick<Env, 'ROLE'>): boolean {
  return env.ROLE === 'web' || env.ROLE === 'all';
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve(`http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}`);
    });
  });
}

function closeServer(server: Server): Closeable {
  return {
    name: 'http server',
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/**
 * The district seed (DISTRICT_CONFIG), or with directory sync on the organisation of the last sync
 * (rebuilt with the current configuration, no WeChat Work call). Before the first sync the seed
 * stands in; the worker role then syncs at once.
 */
async function loadOrganisation(parts: { env: Env; logger: Logger; mongo: Connection; redis: RedisClient; org: OrgRepository; orgChanges: RedisOrgChanges }): Promise<void> {
  const { env, logger, org } = parts;
  const directory = directorySyncFor(parts);
  const restored = await directory?.restore();
  if (restored) {
    logger.info({ district: restored.district.id, users: restored.users.length }, 'district organisation restored from the last WeChat Work directory sync');
    return;
  }
  const seed = loadDistrictSeed(env.DISTRICT_CONFIG);
  const counts = await org.loadSeed(seed);
  if (directory) logger.warn({ district: seed.district.id }, 'directory sync is on but has not run yet: the people of DISTRICT_CONFIG stand in until the first sync (the worker runs it now; or run `npm run directory:sync`)');
  logger.info({ district: seed.district.id, ...counts }, 'district organisation loaded');
}

/** Connects to the stores, loads the district seed, then starts the web and/or worker role. */
export async function startRuntime(env: Env, logger: Logger, compose: ComposeApp = () => [], closeFirstOpened: Closeable[] = []): Promise<Runtime> {
  const closeables: Closeable[] = [...closeFirstOpened];
  const mongo = await connectMongo(env.MONGODB_URI);
  closeables.push({ name: 'mongodb', close: () => mongo.close() });
  const redis = createRedis(env, logger);
  closeables.push({ name: 'redis', close: async () => void (await redis.quit().catch(() => redis.disconnect())) });

  try {
    const orgChanges = new RedisOrgChanges(redis, env.QUEUE_PREFIX, logger);
    closeables.push({ name: 'organisation change subscriber', close: () => orgChanges.close() });

    const org = new OrgRepository(mongo);
    await loadOrganisation({ env, logger, mongo, redis, org, orgChanges });

    const capacity = await watchStoreCapacity(mongo, { ceiling: env.STORE_CASE_CEILING }, logger);
    closeables.push({ name: 'store capacity watch', close: () => capacity.close() });

    let url: string | undefined;
    const infra: Infrastructure = { env, logger, mongo, redis, org, orgChanges, closeables, streams: [], listeningUrl: () => url, storeLoad: capacity.latest };
    const modules = await compose(infra);

    if (runsWorkers(env)) {
      for (const module of modules) closeables.push(...((await module.startWorkers?.()) ?? []));
      for (const module of modules) closeables.push(...((await module.startReceiving?.()) ?? []));
      logger.info('worker role started');
    }
    const calendar = calendarStatus(env, logger);
    if (servesWeb(env)) {
      const routers = [
        healthRoutes({ redis: () => redisIsReady(redis), store: () => mongoIsReady(mongo) }, () => ({ calendar: calendar(), store: capacity.latest() ?? 'not measured yet' })),
        ...modules.flatMap((m) => m.routers?.() ?? []),
      ];
      const app = createWebApp({ logger, routers, proxy: env.TRUST_PROXY });
      const server = createServer(app.callback());
      url = await listen(server, env.PORT, env.HOST);
      closeables.push(closeServer(server));
      // Closed first (last opened): an open event stream would keep the server from closing.
      closeables.push({ name: 'event streams', close: async () => void (await Promise.all((infra.streams ?? []).map((s) => s.close()))) });
      logger.info({ url }, 'web role listening');
    }

    return {
      env,
      logger,
      mongo,
      redis,
      org,
      url,
      stop: () => closeAll(closeables, env.SHUTDOWN_TIMEOUT_MS, logger),
    };
  } catch (error) {
    // A start that fails half-way closes what it opened, so the caller is not left with live sockets.
    await closeAll(closeables, env.SHUTDOWN_TIMEOUT_MS, logger);
    throw error;
  }
}
