import type { ConnectionOptions } from 'bullmq';
import { Cluster } from 'ioredis';
import { sentinelOptions, type RedisClient, type RedisTarget } from '../../infra/redis';

/**
 * BullMQ's connection. One Redis (its URL): options, from which BullMQ opens and closes its own connections
 * (maxRetriesPerRequest null, so workers block safely). A Redis Cluster: a cluster client, which BullMQ shares
 * (duplicating it for a worker's blocking reads) and its owner closes after the queues.
 */
export function bullConnection(redis: string | Cluster): ConnectionOptions {
  return typeof redis === 'string' ? { url: redis, maxRetriesPerRequest: null } : redis;
}

/**
 * A process's BullMQ connection: REDIS_URL on one Redis; through the sentinels (REDIS_SENTINELS) options BullMQ
 * opens its own connections from; on a Redis Cluster the process's cluster client.
 */
export function bullConnectionFor(runtime: { env: RedisTarget; redis: RedisClient }): ConnectionOptions {
  if (runtime.redis instanceof Cluster) return bullConnection(runtime.redis);
  const sentinels = runtime.env.REDIS_SENTINELS;
  if (sentinels?.length) return { ...sentinelOptions({ ...runtime.env, REDIS_SENTINELS: sentinels }), maxRetriesPerRequest: null };
  return bullConnection(runtime.env.REDIS_URL);
}
