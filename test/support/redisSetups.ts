import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisTarget } from '../../infra/redis';
import { startRedisCluster, type RunningRedisCluster } from '../../scripts/services/redisCluster';
import { testPrefix, testRedisUrl, uniqueSuffix } from './isolation';

/** What the queue tests run on: the shared test Redis, and a Redis Cluster of 3 masters (issue 15). */
export const REDIS_SETUPS = ['one Redis', 'a Redis Cluster'] as const;
export type RedisSetup = (typeof REDIS_SETUPS)[number];

/**
 * Call inside a `describe`: the Redis its tests use. For 'a Redis Cluster', a private cluster on loopback
 * is started before the describe's tests and stopped after them.
 */
export function useRedis(setup: RedisSetup): () => RedisTarget {
  if (setup === 'one Redis') return () => ({ REDIS_URL: testRedisUrl() });
  let cluster: RunningRedisCluster | undefined;
  beforeAll(async () => {
    cluster = await startRedisCluster({ dir: join(process.env.WHISTLEBOT_TEST_DATA_DIR ?? tmpdir(), `redis-cluster-${uniqueSuffix()}`) });
  }, 30_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  return () => {
    if (!cluster) throw new Error('the Redis Cluster is not up (it starts in beforeAll)');
    return { REDIS_URL: cluster.url, REDIS_CLUSTER_NODES: cluster.nodes };
  };
}

/** A test's private key prefix on `redis`: on a cluster a hash tag, as QUEUE_PREFIX must be there. */
export function testPrefixOn(redis: RedisTarget, label: string): string {
  const prefix = testPrefix(label);
  return redis.REDIS_CLUSTER_NODES ? `{${prefix}}` : prefix;
}
