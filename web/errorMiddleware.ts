import type { Middleware } from 'koa';
import type { Logger } from '../infra/logger';
import { HttpError, RetryLaterError } from './errors';

/** The one place errors become HTTP answers: `{ error: { code, message } }` as JSON. */
export function errorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (error instanceof HttpError) {
        ctx.status = error.status;
        ctx.body = { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
        if (error instanceof RetryLaterError) ctx.set('Retry-After', String(error.retryAfterSeconds));
        logger.info({ method: ctx.method, path: ctx.path, status: error.status, code: error.code }, 'request refused');
        return;
      }
      logger.error({ err: error, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.body = { error: { code: 'internal_error', message: '服务器内部错误，请稍后重试；如持续出现请联系管理员' } };
    }
  };
}
