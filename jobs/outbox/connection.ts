import type { ConnectionOptions } from 'bullmq';
import { Cluster } from 'ioredis';
import type { RedisClient } from '../../infra/redis';

/**
 * BullMQ's connection. One Redis (its URL): options, from which BullMQ opens and closes its own connections
 * (maxRetriesPerRequest null, so workers block safely). A Redis Cluster: a cluster client, which BullMQ shares
 * (duplicating it for a worker's blocking reads) and its owner closes after the queues.
 */
export function bullConnection(redis: string | Cluster): ConnectionOptions {
  return typeof redis === 'string' ? { url: redis, maxRetriesPerRequest: null } : redis;
}

/** A process's BullMQ connection: REDIS_URL on one Redis; on a Redis Cluster the process's cluster client. */
export function bullConnectionFor(runtime: { env: { REDIS_URL: string }; redis: RedisClient }): ConnectionOptions {
  return bullConnection(runtime.redis instanceof Cluster ? runtime.redis : runtime.env.REDIS_URL);
}
