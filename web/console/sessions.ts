import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../../infra/redis';

export interface ConsoleSession {
  userId: string;
  /** Sent back in X-CSRF-Token with every action. */
  csrf: string;
  createdAt: string;
  ip: string;
}

export interface LoginAttempt {
  returnTo: string;
  flow: 'oauth' | 'sso';
}

const LOGIN_ATTEMPT_TTL_SECONDS = 600;

function token(): string {
  return randomBytes(32).toString('base64url');
}

/** Redis keys hold a hash of the cookie, so a read of Redis does not hand out live sessions. */
function hashed(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/**
 * Console sessions in Redis with a sliding expiry (every use extends it to the full TTL), and the
 * one-time `state` of a login in progress.
 */
export class ConsoleSessions {
  constructor(private readonly redis: RedisClient, private readonly prefix: string, private readonly ttlSeconds: number) {}

  private sessionKey(id: string): string {
    return `${this.prefix}:console:session:${hashed(id)}`;
  }

  private stateKey(state: string): string {
    return `${this.prefix}:console:login-state:${hashed(state)}`;
  }

  async create(userId: string, ip: string): Promise<{ id: string; session: ConsoleSession }> {
    const id = token();
    const session: ConsoleSession = { userId, csrf: token(), createdAt: new Date().toISOString(), ip };
    await this.redis.set(this.sessionKey(id), JSON.stringify(session), 'EX', this.ttlSeconds);
    return { id, session };
  }

  async get(id: string): Promise<ConsoleSession | undefined> {
    const key = this.sessionKey(id);
    const raw = await this.redis.get(key);
    if (raw === null) return undefined;
    await this.redis.expire(key, this.ttlSeconds);
    return JSON.parse(raw) as ConsoleSession;
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.sessionKey(id));
  }

  async beginLogin(attempt: LoginAttempt): Promise<string> {
    const state = token();
    await this.redis.set(this.stateKey(state), JSON.stringify(attempt), 'EX', LOGIN_ATTEMPT_TTL_SECONDS);
    return state;
  }

  /** The attempt a `state` started, once: a replayed or unknown state is undefined. */
  async finishLogin(state: string): Promise<LoginAttempt | undefined> {
    const raw = await this.redis.getdel(this.stateKey(state));
    return raw === null ? undefined : (JSON.parse(raw) as LoginAttempt);
  }

  get ttl(): number {
    return this.ttlSeconds;
  }
}
