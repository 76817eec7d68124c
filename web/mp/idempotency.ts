import type { RedisClient } from '../../infra/redis';
import { mpError } from './errors';

const KEY = /^[A-Za-z0-9_-]{8,64}$/;
const PENDING = 'pending';

export type IdempotentClaim = { kind: 'new'; release(caseId?: string): Promise<void> } | { kind: 'replay'; caseId: string };

/**
 * `Idempotency-Key` on report submission: a phone that lost the answer and sends the same report
 * again gets the case created the first time instead of a second case. Keys are per resident and
 * kept for a day.
 */
export class ReportIdempotency {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds = 24 * 3600,
  ) {}

  async claim(residentId: string, key: string): Promise<IdempotentClaim> {
    if (!KEY.test(key)) throw mpError('invalid_request', { message: 'Idempotency-Key 应为 8–64 位字母、数字、- 或 _', details: { field: 'Idempotency-Key' } });
    const redisKey = `${this.prefix}:mp:idempotency:${residentId}:${key}`;
    const fresh = await this.redis.set(redisKey, PENDING, 'EX', this.ttlSeconds, 'NX');
    if (fresh === 'OK') {
      return {
        kind: 'new',
        release: async (caseId) => {
          if (caseId) await this.redis.set(redisKey, caseId, 'EX', this.ttlSeconds);
          else await this.redis.del(redisKey);
        },
      };
    }
    const existing = await this.redis.get(redisKey);
    if (existing && existing !== PENDING) return { kind: 'replay', caseId: existing };
    throw mpError('conflict', { message: '该诉求正在提交，请稍候查看“我的诉求”' });
  }
}
