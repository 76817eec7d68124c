import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { RedisNodeAddress } from '../config/env';
import type { Logger } from './logger';

/** One Redis server or a Redis Cluster: both answer the same commands (a cluster's multi-key ones only within one slot). */
export type RedisClient = Redis | Cluster;

/** Where Redis is: REDIS_URL, and on a Redis Cluster more startup nodes (REDIS_CLUSTER_NODES). */
export interface RedisTarget {
  REDIS_URL: string;
  REDIS_CLUSTER_NODES?: readonly RedisNodeAddress[] | undefined;
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
 * A Redis connection (to one server, or to a cluster when REDIS_CLUSTER_NODES is set) that keeps retrying in the
 * background (so /readyz recovers when Redis comes back) and is safe for BullMQ (`maxRetriesPerRequest: null`).
 */
export function createRedis(target: string | RedisTarget, logger?: Logger, extra: RedisOptions = {}): RedisClient {
  const where: RedisTarget = typeof target === 'string' ? { REDIS_URL: target } : target;
  const client: RedisClient = where.REDIS_CLUSTER_NODES
    ? createCluster(where, extra)
    : new Redis(where.REDIS_URL, { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: reconnectDelay, ...extra });
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
