import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { RedisNodeAddress } from '../../config/env';
import { freePort, spawnDetached, stopPid, waitUntil } from './process';
import { startRedisServer } from './redis';

export interface RunningRedisSentinel {
  /** The master's URL (REDIS_URL: its host is not used once the sentinels are given). */
  url: string;
  /** REDIS_SENTINELS. */
  sentinels: RedisNodeAddress[];
  /** REDIS_SENTINEL_MASTER. */
  masterName: string;
  pids: number[];
  stop(): Promise<void>;
}

/** A redis-server of a sentinel set: its process (to SIGKILL) and loopback port. */
export interface SentinelSetNode {
  pid: number;
  port: number;
}

export interface RunningRedisSentinelSet extends RunningRedisSentinel {
  /** The master at the start. */
  master: SentinelSetNode;
  /** Its replica (`replicaof` the master), the one the sentinels promote when the master dies. */
  replica: SentinelSetNode;
  /** The master's port as the first sentinel that answers names it (undefined: none answered). */
  masterPort(): Promise<number | undefined>;
}

/** A short-lived client to one sentinel or server; null when it does not answer. */
async function ask<T>(port: number, run: (client: Redis) => Promise<T>): Promise<T | null> {
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await run(client);
  } catch {
    return null;
  } finally {
    client.disconnect();
  }
}

async function sentinelMasterPort(sentinel: RedisNodeAddress, masterName: string): Promise<number | undefined> {
  const address = await ask(sentinel.port, async (client) => (await client.call('SENTINEL', 'get-master-addr-by-name', masterName)) as string[] | null);
  return address?.[1] === undefined ? undefined : Number(address[1]);
}

async function sentinelKnowsMaster(sentinel: RedisNodeAddress, masterName: string, masterPort: number): Promise<boolean> {
  return (await sentinelMasterPort(sentinel, masterName)) === masterPort;
}

interface SentinelOptions {
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs?: number;
}

/** Starts one redis-server in sentinel mode under `dir` watching the master on `masterPort`; returns its address and pid. */
async function startSentinel(dir: string, masterName: string, masterPort: number, options: SentinelOptions): Promise<{ node: RedisNodeAddress; pid: number }> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const config = join(dir, 'sentinel.conf');
  writeFileSync(
    config,
    [
      `bind 127.0.0.1`,
      `port ${port}`,
      `dir ${dir}`,
      `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} ${options.quorum}`,
      `sentinel down-after-milliseconds ${masterName} ${options.downAfterMs}`,
      ...(options.failoverTimeoutMs === undefined ? [] : [`sentinel failover-timeout ${masterName} ${options.failoverTimeoutMs}`]),
      '',
    ].join('\n'),
  );
  const pid = spawnDetached('redis-server', [config, '--sentinel'], join(dir, 'sentinel.log'));
  return { node: { host: '127.0.0.1', port }, pid };
}

/**
 * Starts a private Redis master (see startRedisServer) and one Redis Sentinel watching it as `masterName`, both on
 * loopback under `dir`, and waits until the sentinel names the master. On failure what was started is stopped.
 */
export async function startRedisSentinel(options: { dir: string; masterName?: string; log?: (line: string) => void }): Promise<RunningRedisSentinel> {
  const masterName = options.masterName ?? 'mymaster';
  const master = await startRedisServer({ dir: join(options.dir, 'master'), ...(options.log && { log: options.log }) });
  const pids = [master.pid];
  const stop = async (): Promise<void> => void (await Promise.all(pids.map((pid) => stopPid(pid))));
  try {
    const masterPort = Number(new URL(master.url).port);
    const sentinel = await startSentinel(join(options.dir, 'sentinel'), masterName, masterPort, { quorum: 1, downAfterMs: 2000 });
    pids.push(sentinel.pid);
    await waitUntil(() => sentinelKnowsMaster(sentinel.node, masterName, masterPort), 10_000, `Redis Sentinel on port ${sentinel.node.port}`, sentinel.pid);
    return { url: master.url, sentinels: [sentinel.node], masterName, pids, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** How long a new sentinel set may take until every sentinel knows the master, the replica and the others. */
const SENTINEL_SET_READY_MS = 45_000;

/**
 * Starts what a city runs for Redis failover, on loopback under `dir`: a master, one replica (`replicaof` the master) and
 * `sentinels` sentinels (3 by default, quorum 2) watching the master as `masterName`, quick to fail over by default
 * (`down-after-milliseconds` 1000, `failover-timeout` 3000). Resolves once the replica is in sync and every sentinel
 * names the master and knows the replica and the other sentinels, so a failover can start the moment the master dies.
 * On failure what was started is stopped.
 */
export async function startRedisSentinelSet(options: {
  dir: string;
  masterName?: string;
  sentinels?: number;
  quorum?: number;
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  log?: (line: string) => void;
}): Promise<RunningRedisSentinelSet> {
  const masterName = options.masterName ?? 'mymaster';
  const count = options.sentinels ?? 3;
  const sentinelOptions: SentinelOptions = { quorum: options.quorum ?? 2, downAfterMs: options.downAfterMs ?? 1000, failoverTimeoutMs: options.failoverTimeoutMs ?? 3000 };
  const pids: number[] = [];
  const stop = async (): Promise<void> => void (await Promise.all(pids.map((pid) => stopPid(pid))));
  try {
    const log = options.log && { log: options.log };
    const master = await startRedisServer({ dir: join(options.dir, 'master'), ...log, onSpawn: ({ pid }) => pids.push(pid) });
    const masterPort = Number(new URL(master.url).port);
    const replica = await startRedisServer({ dir: join(options.dir, 'replica'), extraArgs: ['--replicaof', '127.0.0.1', String(masterPort)], ...log, onSpawn: ({ pid }) => pids.push(pid) });
    const replicaPort = Number(new URL(replica.url).port);
    await waitUntil(
      async () => (await ask(replicaPort, (client) => client.info('replication')))?.includes('master_link_status:up') === true,
      10_000,
      `the replica on port ${replicaPort} in sync with the master`,
      replica.pid,
    );
    const started: Array<{ node: RedisNodeAddress; pid: number }> = [];
    for (let i = 0; i < count; i += 1) {
      const sentinel = await startSentinel(join(options.dir, `sentinel-${i}`), masterName, masterPort, sentinelOptions);
      pids.push(sentinel.pid);
      started.push(sentinel);
    }
    const sentinels = started.map((s) => s.node);
    // Each sentinel learns of the replica from the master's INFO (sent every 10 s) and of the others through the
    // master's hello channel (every 2 s): one shared deadline, so a loaded machine's slow first INFO is waited for.
    const deadline = Date.now() + SENTINEL_SET_READY_MS;
    for (const { node: sentinel, pid } of started) {
      await waitUntil(
        async () => {
          if (!(await sentinelKnowsMaster(sentinel, masterName, masterPort))) return false;
          const known = await ask(sentinel.port, async (client) => ({
            replicas: ((await client.call('SENTINEL', 'replicas', masterName)) as unknown[]).length,
            sentinels: ((await client.call('SENTINEL', 'sentinels', masterName)) as unknown[]).length,
          }));
          return known !== null && known.replicas >= 1 && known.sentinels >= count - 1;
        },
        Math.max(1_000, deadline - Date.now()),
        `Redis Sentinel on port ${sentinel.port} knowing the master, its replica and the other sentinels`,
        pid,
      );
    }
    return {
      url: master.url,
      sentinels,
      masterName,
      pids,
      stop,
      master: { pid: master.pid, port: masterPort },
      replica: { pid: replica.pid, port: replicaPort },
      async masterPort() {
        for (const sentinel of sentinels) {
          const port = await sentinelMasterPort(sentinel, masterName);
          if (port !== undefined) return port;
        }
        return undefined;
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
