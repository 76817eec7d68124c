import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { SetupError, commandExists, freePort, isRoot, spawnDetached, stopPid, waitUntil } from './process';

export interface RunningRedis {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** True when a Redis server answers PING at `url` within the timeout. */
export async function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function installRedis(log: (line: string) => void): void {
  if (commandExists('redis-server')) return;
  if (!isRoot() || !commandExists('apt-get')) {
    throw new SetupError('redis-server is not installed. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`) or set REDIS_URL to a running Redis.');
  }
  log('installing redis-server from Debian packages…');
  const result = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'], { stdio: 'inherit' });
  if (result.status !== 0 || !commandExists('redis-server')) {
    throw new SetupError('apt-get could not install redis-server. Install it by hand or set REDIS_URL to a running Redis.');
  }
}

/**
 * Starts a private redis-server in `dir`, detached from this process: loopback only, AOF on and
 * `maxmemory-policy noeviction`, because BullMQ must never lose a job to eviction. `onSpawn` hears
 * of the server the moment its process exists, before it answers, so a caller can record it (and
 * stop it later) even when it never comes up.
 */
export async function startRedisServer(options: {
  dir: string;
  port?: number;
  /** More redis-server options (a cluster node's `--cluster-enabled yes`…). */
  extraArgs?: string[];
  log?: (line: string) => void;
  onSpawn?: (server: { url: string; pid: number }) => void;
}): Promise<RunningRedis> {
  const log = options.log ?? (() => undefined);
  installRedis(log);
  mkdirSync(options.dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const logFile = join(options.dir, 'redis.log');
  const args = [
    '--daemonize', 'no',
    '--bind', '127.0.0.1',
    '--port', String(port),
    '--dir', options.dir,
    '--appendonly', 'yes',
    '--maxmemory-policy', 'noeviction',
    '--save', '',
    ...(options.extraArgs ?? []),
  ];
  const pid = spawnDetached('redis-server', args, logFile);
  const url = `redis://127.0.0.1:${port}`;
  options.onSpawn?.({ url, pid });
  await waitUntil(() => redisAnswers(url, 500), 10_000, `redis-server on port ${port} (log: ${logFile})`, pid);
  return { url, pid, stop: () => stopPid(pid) };
}
