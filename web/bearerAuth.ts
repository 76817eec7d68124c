import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { AuthenticationError } from './errors';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The 401 an API answers while its token is not configured: names the variable to set. */
export interface UnconfiguredToken {
  code: string;
  message: string;
}

/**
 * `Authorization: Bearer <token>` against a configured token, compared in constant time (both
 * sides hashed to the same length first). With no token configured the endpoint is closed, never open.
 */
export function bearerAuth(token: string | undefined, unconfigured: UnconfiguredToken): Middleware {
  const expected = token === undefined ? undefined : digest(token);
  return async (ctx, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    if (!expected) throw new AuthenticationError(unconfigured.message, unconfigured.code);
    if (!match?.[1]) throw new AuthenticationError('请在 Authorization 头中提供 Bearer 令牌', 'missing_token');
    if (!timingSafeEqual(digest(match[1]), expected)) throw new AuthenticationError('令牌无效', 'invalid_token');
    await next();
  };
}
