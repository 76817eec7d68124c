import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../../infra/redis';
import type { Logger } from '../../infra/logger';
import { RELEASE_LOCK } from '../../infra/redisLock';

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

export interface TokenCacheOptions {
  redis: RedisClient;
  /** Redis key holding the token for one corp + app; every process using the same app must use the same key. */
  key: string;
  /** Calls gettoken. Only ever run by the process holding the refresh lock. */
  fetchToken: () => Promise<IssuedToken>;
  /** Refresh this long before expiry so no request goes out with a token about to die. Default 5 minutes. */
  refreshMarginMs?: number;
  /** Longer than one gettoken call including its timeout, so a crashed holder never blocks refreshes for long. */
  lockTtlMs?: number;
  /** How long a process waits for another one's refresh before giving up. */
  waitTimeoutMs?: number;
  pollIntervalMs?: number;
  now?: () => number;
  logger?: Logger;
}

interface CachedToken {
  token: string;
  expiresAt: number;
  /** When to start refreshing; earlier than expiresAt by the margin (at most half the lifetime). */
  refreshAt: number;
}


export class TokenRefreshTimeoutError extends Error {
  constructor(waitedMs: number) {
    super(`Waited ${waitedMs} ms for another process to refresh the WeChat Work access token; check that gettoken is reachable and Redis is healthy.`);
    this.name = 'TokenRefreshTimeoutError';
  }
}

/**
 * The access token shared by every process through Redis. At most one process calls gettoken at a
 * time (a SET NX lock); the others wait and re-read the key, so a fleet of workers never stampedes
 * gettoken, whose own call frequency is limited.
 */
export class TokenCache {
  private readonly lockKey: string;
  private readonly refreshMarginMs: number;
  private readonly lockTtlMs: number;
  private readonly waitTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenCacheOptions) {
    this.lockKey = `${options.key}:refresh-lock`;
    this.refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;
    this.lockTtlMs = options.lockTtlMs ?? 15_000;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 20_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.now = options.now ?? Date.now;
  }

  /** A token with comfortable life left; refreshes early, but keeps using a still-valid one while another process refreshes. */
  async get(): Promise<string> {
    return this.obtain(
      (cached) => cached.refreshAt > this.now(),
      (cached) => cached.expiresAt > this.now(),
    );
  }

  /** WeChat Work rejected `rejected` (40014/42001/42009): returns a different token, refreshing only if nobody else already did. */
  async replaceRejected(rejected: string): Promise<string> {
    return this.obtain(
      (cached) => cached.token !== rejected && cached.expiresAt > this.now(),
      () => false,
    );
  }

  private async obtain(acceptable: (c: CachedToken) => boolean, usableWhileOthersRefresh: (c: CachedToken) => boolean): Promise<string> {
    const started = this.now();
    for (;;) {
      const cached = await this.read();
      if (cached && acceptable(cached)) return cached.token;
      const lockValue = randomBytes(8).toString('hex');
      const locked = await this.options.redis.set(this.lockKey, lockValue, 'PX', this.lockTtlMs, 'NX');
      if (locked === 'OK') {
        try {
          // Double-check: another process may have refreshed between our read and our lock.
          const again = await this.read();
          if (again && acceptable(again)) return again.token;
          return await this.refresh();
        } finally {
          await this.options.redis.eval(RELEASE_LOCK, 1, this.lockKey, lockValue);
        }
      }
      if (cached && usableWhileOthersRefresh(cached)) return cached.token;
      if (this.now() - started > this.waitTimeoutMs) throw new TokenRefreshTimeoutError(this.now() - started);
      await sleep(this.pollIntervalMs);
    }
  }

  private async refresh(): Promise<string> {
    const issued = await this.options.fetchToken();
    const ttlMs = Math.max(1000, issued.expiresInSeconds * 1000);
    const now = this.now();
    const margin = Math.min(this.refreshMarginMs, ttlMs / 2);
    const cached: CachedToken = { token: issued.accessToken, expiresAt: now + ttlMs, refreshAt: now + ttlMs - margin };
    await this.options.redis.set(this.options.key, JSON.stringify(cached), 'PX', ttlMs);
    this.options.logger?.info({ expiresInSeconds: issued.expiresInSeconds }, 'wecom access token refreshed');
    return cached.token;
  }

  private async read(): Promise<CachedToken | undefined> {
    const raw = await this.options.redis.get(this.options.key);
    if (!raw) return undefined;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === 'object' && parsed !== null && 'token' in parsed && 'expiresAt' in parsed && 'refreshAt' in parsed) {
        const { token, expiresAt, refreshAt } = parsed;
        if (typeof token === 'string' && typeof expiresAt === 'number' && typeof refreshAt === 'number') return { token, expiresAt, refreshAt };
      }
    } catch {
      // A corrupt entry is treated as missing and overwritten by the next refresh.
    }
    return undefined;
  }
}
