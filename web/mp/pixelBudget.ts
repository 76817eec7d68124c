import type { RedisClient } from '../../infra/redis';
import type { PixelBudgetRule } from '../../config/mp';
import { hashedSubject } from '../rateLimit';

export type PixelBudgetDecision = { allowed: true } | { allowed: false; scope: 'resident' | 'ip'; retryAfterSeconds: number };

/**
 * Charges every key or none: a key whose window would go over its limit refuses the whole charge
 * and answers its index and the time left; otherwise each key grows by the pixels and the first
 * charge of a window starts its expiry.
 */
const CHARGE = `
local n = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local used = tonumber(redis.call('GET', key) or '0')
  if used + n > tonumber(ARGV[i * 2]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then ttl = tonumber(ARGV[i * 2 + 1]) end
    return {i, ttl}
  end
end
for i, key in ipairs(KEYS) do
  redis.call('INCRBY', key, n)
  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[i * 2 + 1]) end
end
return {0, 0}`;

/** Gives back a charge whose decode never ran (the queue was full); a window that ended meanwhile is left alone. */
const REFUND = `
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('DECRBY', key, ARGV[1]) end
end
return 0`;

/**
 * Megapixels a resident and an IP address may have decoded per window, kept in Redis so every web
 * process shares the same budget. Counted from the photos' headers before any decoding.
 */
export class PixelBudget {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly rule: PixelBudgetRule,
  ) {}

  async charge(who: { openid: string; ip: string }, pixels: number): Promise<PixelBudgetDecision> {
    const { perOpenid, perIp } = this.rule;
    const answer = (await this.redis.eval(
      CHARGE,
      2,
      this.key('openid', who.openid),
      this.key('ip', who.ip),
      String(pixels),
      String(Math.floor(perOpenid.megapixels * 1_000_000)),
      String(perOpenid.windowSeconds * 1000),
      String(Math.floor(perIp.megapixels * 1_000_000)),
      String(perIp.windowSeconds * 1000),
    )) as [number, number];
    const [refusedBy, ttlMs] = answer;
    if (refusedBy === 0) return { allowed: true };
    return { allowed: false, scope: refusedBy === 1 ? 'resident' : 'ip', retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
  }

  async refund(who: { openid: string; ip: string }, pixels: number): Promise<void> {
    await this.redis.eval(REFUND, 2, this.key('openid', who.openid), this.key('ip', who.ip), String(pixels));
  }

  private key(kind: 'openid' | 'ip', subject: string): string {
    return `${this.prefix}:mp:pixels:${kind}:${hashedSubject(subject)}`;
  }
}
