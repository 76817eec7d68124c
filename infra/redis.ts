import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { RedisNodeAddress } from '../config/env';
import type { Logger } from './logger';

/** One Redis server (maybe found through Sentinel) or a Redis Cluster: both answer the same commands (a cluster's multi-key ones only within one slot). */
export type RedisClient = Redis | Cluster;

/** Where Redis is: REDIS_URL; on a Redis Cluster more startup nodes (REDIS_CLUSTER_NODES); or the sentinels watching the master. */
export interface RedisTarget {
  REDIS_URL: string;
  REDIS_CLUSTER_NODES?: readonly RedisNodeAddress[] | undefined;
  REDIS_SENTINELS?: readonly RedisNodeAddress[] | undefined;
  REDIS_SENTINEL_MASTER?: string | undefined;
}

const reconnectDelay = (attempt: number): number => Math.min(attempt * 200, 2000);

/** A Redis Cluster client: startup nodes REDIS_URL's host and REDIS_CLUSTER_NODES, each with REDIS_URL's credentials and TLS. */
function createCluster(target: RedisTarget, extra: RedisOptions): Cluster {
  const url = new URL(target.REDIS_URL);
  const seed: RedisNodeAddress = { host: url.hostname, port: Number(url.port || 6379) };
  return new Cluster([seed, ...(target.REDIS_CLUSTER_NODES ?? [])], {
    enableReadyCheck: true,
    clusterRetryStrategy: reconnectDelay,
    redisOptions: {
      maxRetriesPerRequest: null,
      ...(url.username && { username: decodeURIComponent(url.username) }),
      ...(url.password && { password: decodeURIComponent(url.password) }),
      ...(url.protocol === 'rediss:' && { tls: {} }),
      ...extra,
    },
  });
}

/**
 * How to reach the master the sentinels watch: REDIS_URL's credentials, database and TLS, the sentinels'
 * addresses and the master's name. ioredis asks a sentinel for the master and again after a failover.
 */
export interface SentinelConnection {
  sentinels: RedisNodeAddress[];
  name: string;
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
}

export function sentinelOptions(target: RedisTarget & { REDIS_SENTINELS: readonly RedisNodeAddress[] }): SentinelConnection {
  const url = new URL(target.REDIS_URL);
  const db = Number(url.pathname.slice(1) || 0);
  return {
    sentinels: target.REDIS_SENTINELS.map((node) => ({ ...node })),
    name: target.REDIS_SENTINEL_MASTER ?? 'mymaster',
    ...(url.username && { username: decodeURIComponent(url.username) }),
    ...(url.password && { password: decodeURIComponent(url.password) }),
    ...(db > 0 && { db }),
    ...(url.protocol === 'rediss:' && { tls: {} }),
  };
}

function hasSentinels(target: RedisTarget): target is RedisTarget & { REDIS_SENTINELS: readonly RedisNodeAddress[] } {
  return target.REDIS_SENTINELS !== undefined && target.REDIS_SENTINELS.length > 0;
}

/**
 * A Redis connection (to one server, through Sentinel when REDIS_SENTINELS is set, or to a cluster when REDIS_CLUSTER_NODES is set) that keeps retrying in the
 * background (so /readyz recovers when Redis comes back) and is safe for BullMQ (`maxRetriesPerRequest: null`).
 */
export function createRedis(target: string | RedisTarget, logger?: Logger, extra: RedisOptions = {}): RedisClient {
  const where: RedisTarget = typeof target === 'string' ? { REDIS_URL: target } : target;
  const options: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: reconnectDelay, ...extra };
  let client: RedisClient;
  if (where.REDIS_CLUSTER_NODES) client = createCluster(where, extra);
  else if (hasSentinels(where)) client = new Redis({ ...sentinelOptions(where), ...options });
  else client = new Redis(where.REDIS_URL, options);
  let lastError = '';
  client.on('error', (error: Error) => {
    if (error.message !== lastError) logger?.warn({ err: error.message }, 'redis connection error');
    lastError = error.message;
  });
  client.on('ready', () => {
    if (lastError) logger?.info('redis connection restored');
    lastError = '';
  });
  return client;
}

/** True when Redis answers PING within the timeout. */
export async function redisIsReady(client: RedisClient, timeoutMs = 1000): Promise<boolean> {
  if (client.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = client.ping().then((r) => r === 'PONG').catch(() => false);
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A second connection like `client` (a subscriber: a connection in subscribe mode can send nothing else). */
export function duplicateRedis(client: RedisClient): RedisClient {
  return client instanceof Cluster ? client.duplicate() : client.duplicate();
}
