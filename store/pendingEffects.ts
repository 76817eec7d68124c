import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../infra/redis';
import type { Case, TimelineEvent } from '../src/cases';

/** One stored change of a case (the lifecycle's `CaseChange`): `before` is null for a new case. */
export interface CaseChange {
  before: Case | null;
  after: Case;
  events: TimelineEvent[];
}

/** JSON that keeps Dates (a case's instants) as Dates: `{"$date": ms}` on the wire. */
function encode(change: CaseChange): string {
  return JSON.stringify(change, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.getTime() } : value;
  });
}

function decode(json: string): CaseChange {
  return JSON.parse(json, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const keys = Object.keys(value);
      const ms = (value as { $date?: unknown }).$date;
      if (keys.length === 1 && typeof ms === 'number') return new Date(ms);
    }
    return value;
  }) as CaseChange;
}

export interface PendingChange {
  token: string;
  change: CaseChange;
  since: number;
}

/**
 * The changes whose side effects have not run yet, in Redis: a sorted set of tokens by the time
 * they were written down and a hash of the changes (before, after, events; a few KB each). Both
 * keys start with the prefix, so on a Redis Cluster (a hash-tagged prefix) they share a slot.
 */
export class RedisPendingEffects {
  private readonly since: string;
  private readonly changes: string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    this.since = `${prefix}:pending-effects`;
    this.changes = `${prefix}:pending-effects:changes`;
  }

  async begin(change: CaseChange): Promise<string> {
    const token = `${change.after.id}:v${change.after.version}:${randomBytes(4).toString('hex')}`;
    await this.redis.multi().hset(this.changes, token, encode(change)).zadd(this.since, this.now(), token).exec();
    return token;
  }

  async end(token: string): Promise<void> {
    await this.redis.multi().zrem(this.since, token).hdel(this.changes, token).exec();
  }

  /** Changes written down at least `olderThanMs` ago, oldest first: their process stopped before their effects ran, or is very late. */
  async due(olderThanMs: number, limit = 100): Promise<PendingChange[]> {
    const found = await this.redis.zrangebyscore(this.since, '-inf', this.now() - olderThanMs, 'WITHSCORES', 'LIMIT', 0, limit);
    const tokens: { token: string; since: number }[] = [];
    for (let i = 0; i + 1 < found.length; i += 2) tokens.push({ token: found[i] as string, since: Number(found[i + 1]) });
    if (tokens.length === 0) return [];
    const values = await this.redis.hmget(this.changes, ...tokens.map((t) => t.token));
    const due: PendingChange[] = [];
    for (const [i, { token, since }] of tokens.entries()) {
      const json = values[i];
      if (json) due.push({ token, change: decode(json), since });
      else await this.end(token); // its change is gone (ended half-way): nothing to run
    }
    return due;
  }
}
