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

async function sentinelKnowsMaster(sentinel: RedisNodeAddress, masterName: string, masterPort: number): Promise<boolean> {
  const client = new Redis(sentinel.port, sentinel.host, { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const address = (await client.call('SENTINEL', 'get-master-addr-by-name', masterName)) as string[] | null;
    return address?.[1] === String(masterPort);
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
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
    const sentinelDir = join(options.dir, 'sentinel');
    mkdirSync(sentinelDir, { recursive: true });
    const port = await freePort();
    const config = join(sentinelDir, 'sentinel.conf');
    writeFileSync(config, [`bind 127.0.0.1`, `port ${port}`, `dir ${sentinelDir}`, `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 1`, `sentinel down-after-milliseconds ${masterName} 2000`, ''].join('\n'));
    pids.push(spawnDetached('redis-server', [config, '--sentinel'], join(sentinelDir, 'sentinel.log')));
    const sentinel = { host: '127.0.0.1', port };
    await waitUntil(() => sentinelKnowsMaster(sentinel, masterName, masterPort), 10_000, `Redis Sentinel on port ${port}`, pids[1]);
    return { url: master.url, sentinels: [sentinel], masterName, pids, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
