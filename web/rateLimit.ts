import { createHash } from 'node:crypto';
import type { RedisClient } from '../infra/redis';
import type { RateWindow } from '../config/mp';

/** Fixed window: the first hit of a window starts its expiry; answers the count and the time left. */
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

export interface RateDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

/** A subject (openid, IP, client id) as it may appear in a Redis key name: hashed, never in clear. */
export function hashedSubject(subject: string): string {
  return createHash('sha256').update(subject).digest('hex').slice(0, 32);
}

/** Counts hits per subject in Redis, so every web process shares the same limits. */
export class RateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async hit(bucket: string, subject: string, window: RateWindow): Promise<RateDecision> {
    const key = `${this.prefix}:rate:${bucket}:${hashedSubject(subject)}`;
    const answer = (await this.redis.eval(HIT, 1, key, String(window.windowSeconds * 1000))) as [number, number];
    const [count, ttlMs] = answer;
    return { allowed: count <= window.limit, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
  }
}
