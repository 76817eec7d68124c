import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { AuthenticationError } from '../errors';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * `Authorization: Bearer <token>` against a configured token, compared in constant time. With no
 * token configured the endpoint is closed, never open.
 */
export function bearerAuth(token: string | undefined): Middleware {
  const expected = token === undefined ? undefined : digest(token);
  return async (ctx, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    if (!expected) throw new AuthenticationError('统计接口未配置令牌（STATS_API_TOKEN），暂不可用', 'stats_token_not_configured');
    if (!match?.[1]) throw new AuthenticationError('请在 Authorization 头中提供 Bearer 令牌', 'missing_token');
    if (!timingSafeEqual(digest(match[1]), expected)) throw new AuthenticationError('令牌无效', 'invalid_token');
    await next();
  };
}
