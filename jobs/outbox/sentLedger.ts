import type { RedisClient } from '../../infra/redis';
import { sentLedgerKey } from './names';

/**
 * "This idempotency key was sent" in Redis. Kept longer than completed jobs are, so a key enqueued
 * again after its job was cleaned up is still recognised and not sent twice.
 */
export class SentLedger {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds = 7 * 24 * 3600,
  ) {}

  async wasSent(idempotencyKey: string): Promise<boolean> {
    return (await this.redis.exists(sentLedgerKey(this.prefix, idempotencyKey))) === 1;
  }

  async markSent(idempotencyKey: string, detail: object): Promise<void> {
    await this.redis.set(sentLedgerKey(this.prefix, idempotencyKey), JSON.stringify({ at: new Date().toISOString(), ...detail }), 'EX', this.ttlSeconds);
  }
}
