import { Cluster } from 'ioredis';
import { loadEnv } from '../../config';
import { createLogger } from '../../infra/logger';
import { startApp, type StartedApp } from '../../app/startApp';
import { testMongoUri } from '../support/isolation';
import { useRedis } from '../support/redisSetups';
import { reportThroughSandbox } from '../support/sandboxReport';

/** Production on a Redis Cluster by configuration alone (REDIS_CLUSTER_NODES): every queue, worker, cache and feed. */
describe('the whole app on a Redis Cluster of 3 masters (REDIS_CLUSTER_NODES)', () => {
  let app: StartedApp | undefined;
  // Before useRedis: jest runs afterAll hooks in the order they are declared, and the cluster must outlive the app.
  afterAll(async () => {
    expect(await app?.runtime.stop()).toBe(true);
  });
  const redis = useRedis('a Redis Cluster');

  beforeAll(async () => {
    const cluster = redis();
    const env = loadEnv({
      MONGODB_URI: testMongoUri('redis_cluster'),
      REDIS_URL: cluster.REDIS_URL,
      REDIS_CLUSTER_NODES: (cluster.REDIS_CLUSTER_NODES ?? []).map((n) => `${n.host}:${n.port}`).join(','),
      PORT: '0',
      ROLE: 'all',
      LOG_LEVEL: 'silent',
    });
    app = await startApp(env, createLogger({ level: 'silent' }), {});
  }, 60_000);

  it('hash-tags the key prefix and answers /readyz through a cluster client', async () => {
    expect(app?.runtime.env.QUEUE_PREFIX).toBe('{whistlebot}');
    expect(app?.runtime.redis).toBeInstanceOf(Cluster);
    const response = await fetch(`${app?.runtime.url}/readyz`);
    expect(response.status).toBe(200);
  });

  it('takes a grid member\'s report through the inbound queue, the conversation and the outbox to a confirmation card', async () => {
    const runtime = await reportThroughSandbox(app);
    // Every key the app wrote on the cluster shares the hash tag, so one master holds them all (multi-key scripts need one slot).
    const cluster = runtime.redis as Cluster;
    const keysPerMaster = await Promise.all(cluster.nodes('master').map((node) => node.keys('*')));
    const keys = keysPerMaster.flat();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !key.startsWith('{whistlebot}:'))).toEqual([]);
  });
});
