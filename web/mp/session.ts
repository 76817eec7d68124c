import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../../infra/redis';

/** Who a session token stands for. Lives only in Redis; never sent to the client. */
export interface ResidentSession {
  residentId: string;
  openid: string;
  issuedAt: number;
}

export interface IssuedSession {
  token: string;
  expiresInSeconds: number;
}

const TOKEN_PATTERN = /^mps_[A-Za-z0-9_-]{43}$/;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function parseSession(raw: string | null): ResidentSession | undefined {
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const { residentId, openid, issuedAt } = value as Record<string, unknown>;
    if (typeof residentId === 'string' && typeof openid === 'string' && typeof issuedAt === 'number') return { residentId, openid, issuedAt };
  } catch {
    // A corrupt entry is no session.
  }
  return undefined;
}

/**
 * Opaque, short-lived, revocable session tokens. Redis holds only a hash of each token, so a copy of
 * Redis does not hand out working tokens; a per-resident set lets every session of a resident be revoked.
 */
export class SessionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  async issue(resident: { residentId: string; openid: string }, now = Date.now()): Promise<IssuedSession> {
    const token = `mps_${randomBytes(32).toString('base64url')}`;
    const session: ResidentSession = { residentId: resident.residentId, openid: resident.openid, issuedAt: now };
    const indexKey = this.indexKey(resident.residentId);
    await this.redis
      .multi()
      .set(this.sessionKey(token), JSON.stringify(session), 'EX', this.ttlSeconds)
      .sadd(indexKey, digest(token))
      .expire(indexKey, this.ttlSeconds)
      .exec();
    return { token, expiresInSeconds: this.ttlSeconds };
  }

  /** The session for a token, or undefined when it is malformed, expired, revoked or never existed. */
  async resolve(token: string): Promise<ResidentSession | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    return parseSession(await this.redis.get(this.sessionKey(token)));
  }

  async revoke(token: string): Promise<void> {
    const session = await this.resolve(token);
    await this.redis.del(this.sessionKey(token));
    if (session) await this.redis.srem(this.indexKey(session.residentId), digest(token));
  }

  /** Logs a resident out everywhere (e.g. after abuse). */
  async revokeAll(residentId: string): Promise<number> {
    const indexKey = this.indexKey(residentId);
    const digests = await this.redis.smembers(indexKey);
    if (digests.length > 0) await this.redis.del(...digests.map((d) => `${this.prefix}:mp:session:${d}`));
    await this.redis.del(indexKey);
    return digests.length;
  }

  private sessionKey(token: string): string {
    return `${this.prefix}:mp:session:${digest(token)}`;
  }

  private indexKey(residentId: string): string {
    return `${this.prefix}:mp:resident-sessions:${residentId}`;
  }
}
