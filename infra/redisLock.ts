import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../infra/redis';

/** Deletes the lock only if we still own it, so a slow holder never releases someone else's lock. */
export const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class LockTimeoutError extends Error {
  constructor(key: string, waitedMs: number) {
    super(`Waited ${waitedMs} ms for the Redis lock ${key}; another process holds it (a directory sync running?). Retry later; if no process holds it, it expires by itself.`);
    this.name = 'LockTimeoutError';
  }
}

/**
 * Runs `work` while holding a Redis lock (SET NX PX) that every process shares; waits up to
 * `waitMs` for it. The lock expires after `ttlMs` should its holder die.
 */
export async function withRedisLock<T>(redis: RedisClient, key: string, work: () => Promise<T>, options: { ttlMs: number; waitMs: number; pollMs?: number }): Promise<T> {
  const token = randomBytes(8).toString('hex');
  const started = Date.now();
  while ((await redis.set(key, token, 'PX', options.ttlMs, 'NX')) !== 'OK') {
    if (Date.now() - started > options.waitMs) throw new LockTimeoutError(key, Date.now() - started);
    await sleep(options.pollMs ?? 100);
  }
  try {
    return await work();
  } finally {
    await redis.eval(RELEASE_LOCK, 1, key, token);
  }
}
