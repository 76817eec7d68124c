import Redis, { type RedisOptions } from 'ioredis';
import type { Logger } from './logger';

/**
 * A Redis connection that keeps retrying in the background (so /readyz recovers when Redis comes
 * back) and is safe for BullMQ (`maxRetriesPerRequest: null`).
 */
export function createRedis(url: string, logger?: Logger, extra: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    ...extra,
  });
  let lastError = '';
  client.on('error', (error: Error) => {
    if (error.message !== lastError) logger?.warn({ err: error.message }, 'redis connection error');
    lastError = error.message;
  });
  client.on('ready', () => {
    if (lastError) logger?.info('redis connection restored');
    lastError = '';
  });
  return client;
}

/** True when Redis answers PING within the timeout. */
export async function redisIsReady(client: Redis, timeoutMs = 1000): Promise<boolean> {
  if (client.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = client.ping().then((r) => r === 'PONG').catch(() => false);
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
