import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { RedisNodeAddress } from '../../config/env';
import { SetupError, freePort, waitUntil } from './process';
import { startRedisServer, type RunningRedis } from './redis';

export interface RunningRedisCluster {
  /** Every master's address (REDIS_CLUSTER_NODES). */
  nodes: RedisNodeAddress[];
  /** The first master (REDIS_URL). */
  url: string;
  pids: number[];
  stop(): Promise<void>;
}

/** A cluster node needs its port and the port 10000 above it (the cluster bus) free. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freeClusterPort(taken: ReadonlySet<number>): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort();
    if (port <= 55_535 && !taken.has(port) && !taken.has(port + 10_000) && (await portIsFree(port + 10_000))) return port;
  }
  throw new SetupError('found no free loopback port pair (port and port + 10000) for a Redis Cluster node');
}

async function nodeSaysClusterOk(node: RedisNodeAddress): Promise<boolean> {
  const client = new Redis(node.port, node.host, { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return /cluster_state:ok/.test(String(await client.cluster('INFO')));
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function clusterIsOk(nodes: readonly RedisNodeAddress[]): Promise<boolean> {
  return (await Promise.all(nodes.map(nodeSaysClusterOk))).every(Boolean);
}

/**
 * Starts a private Redis Cluster of `masters` masters (no replicas) on loopback, each a redis-server in its own
 * folder under `dir` (see startRedisServer), joined with `redis-cli --cluster create`, and waits until every
 * master reports `cluster_state:ok`. On failure the servers already started are stopped.
 */
export async function startRedisCluster(options: { dir: string; masters?: number; log?: (line: string) => void }): Promise<RunningRedisCluster> {
  const masters = options.masters ?? 3;
  const servers: RunningRedis[] = [];
  const stop = async (): Promise<void> => void (await Promise.all(servers.map((server) => server.stop())));
  try {
    const ports = new Set<number>();
    for (let i = 0; i < masters; i++) {
      const port = await freeClusterPort(ports);
      ports.add(port).add(port + 10_000);
      const dir = join(options.dir, `node-${port}`);
      servers.push(
        await startRedisServer({
          dir,
          port,
          extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-node-timeout', '5000'],
          ...(options.log && { log: options.log }),
        }),
      );
    }
    const nodes = servers.map((server) => ({ host: '127.0.0.1', port: Number(new URL(server.url).port) }));
    const create = spawnSync('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `${n.host}:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 });
    if (create.status !== 0) throw new SetupError(`redis-cli --cluster create failed: ${(create.stderr || create.stdout).slice(-500)}`);
    await waitUntil(() => clusterIsOk(nodes), 20_000, `Redis Cluster on ports ${nodes.map((n) => n.port).join(', ')}`);
    return { nodes, url: servers[0]!.url, pids: servers.map((server) => server.pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
