import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RedisClient } from '../../infra/redis';

/**
 * Time-limited photo links. `<image src>` in a mini-program cannot send an Authorization header,
 * so a photo URL carries its own proof: an HMAC over the storage key and the expiry. The signing
 * key lives in Redis so every web process signs and checks alike.
 */
export class MediaUrlSigner {
  private secret: Buffer | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  async sign(key: string, origin: string, now = Date.now()): Promise<string> {
    const expires = Math.floor(now / 1000) + this.ttlSeconds;
    const signature = this.mac(await this.key(), key, expires);
    return `${origin}/api/mp/media/${key}?expires=${expires}&signature=${signature}`;
  }

  async verify(key: string, expires: string | undefined, signature: string | undefined, now = Date.now()): Promise<boolean> {
    const at = Number(expires);
    if (!Number.isInteger(at) || at < Math.floor(now / 1000) || typeof signature !== 'string') return false;
    const expected = Buffer.from(this.mac(await this.key(), key, at));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private mac(secret: Buffer, key: string, expires: number): string {
    return createHmac('sha256', secret).update(`${key}\n${expires}`).digest('base64url');
  }

  private async key(): Promise<Buffer> {
    if (this.secret) return this.secret;
    const redisKey = `${this.prefix}:mp:media-url-key`;
    await this.redis.set(redisKey, randomBytes(32).toString('hex'), 'NX');
    const stored = await this.redis.get(redisKey);
    if (!stored) throw new Error(`${redisKey} vanished right after being set; is Redis evicting keys (maxmemory-policy)?`);
    this.secret = Buffer.from(stored, 'hex');
    return this.secret;
  }
}
