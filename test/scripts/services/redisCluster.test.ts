import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import Redis, { Cluster } from 'ioredis';
import { isAlive } from '../../../scripts/services/process';
import { startRedisCluster, type RunningRedisCluster } from '../../../scripts/services/redisCluster';
import { uniqueSuffix } from '../../support/isolation';

describe('startRedisCluster: 3 masters on loopback, joined', () => {
  let cluster: RunningRedisCluster;
  let client: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster({ dir: join(process.env.WHISTLEBOT_TEST_DATA_DIR ?? tmpdir(), `redis-cluster-${uniqueSuffix()}`) });
    client = new Cluster(cluster.nodes, { redisOptions: { maxRetriesPerRequest: null } });
    client.on('error', () => undefined);
  }, 30_000);
  afterAll(async () => {
    client.disconnect();
    await cluster.stop();
  });

  it('shares the 16384 slots among 3 masters without replicas', async () => {
    const slots = await client.cluster('SLOTS');
    expect(slots).toHaveLength(3);
    const owned = slots.reduce((sum, [from, to]) => sum + Number(to) - Number(from) + 1, 0);
    expect(owned).toBe(16_384);
  });

  it('refuses BullMQ\'s multi-key scripts unless the prefix is a hash tag (why QUEUE_PREFIX is {whistlebot} there)', async () => {
    const plain = new Queue('outbox', { connection: client, prefix: `plain${uniqueSuffix()}` });
    const tagged = new Queue('outbox', { connection: client, prefix: `{tagged${uniqueSuffix()}}` });
    try {
      await expect(plain.add('send', {}, { delay: 60_000 })).rejects.toThrow(/CROSSSLOT/);
      await expect(tagged.add('send', {}, { delay: 60_000 })).resolves.toMatchObject({ name: 'send' });
    } finally {
      await plain.close();
      await tagged.close();
    }
  });

  it('stops every node (run last)', async () => {
    client.disconnect();
    await cluster.stop();
    expect(cluster.pids.filter(isAlive)).toEqual([]);
    const gone = new Redis(cluster.nodes[0]!.port, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    gone.on('error', () => undefined);
    await expect(gone.connect()).rejects.toThrow();
    gone.disconnect();
  });
});
