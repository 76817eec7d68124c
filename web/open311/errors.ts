import type { Middleware } from 'koa';
import type { Logger } from '../../infra/logger';
import { HttpError, RetryLaterError } from '../errors';
import { sendOpen311, type Open311Format } from './format';

/** An Open311 refusal: the spec's `[{code, description}]`, code being the HTTP status. */
export class Open311Error extends HttpError {
  readonly descriptions: string[];

  constructor(status: number, descriptions: string | string[]) {
    const list = Array.isArray(descriptions) ? descriptions : [descriptions];
    super(status, String(status), list.join('; '));
    this.descriptions = list;
  }
}

/** The format the failed request asked for (its path's extension); JSON when it named none. */
function formatOf(path: string): Open311Format {
  return path.endsWith('.xml') ? 'xml' : 'json';
}

/** Every error under /open311 in the spec's format, in the request's format; never the app's own JSON shape. */
export function open311Errors(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const known = error instanceof HttpError;
      if (!known) logger.error({ err: error, method: ctx.method, path: ctx.path }, 'open311 request failed');
      else logger.info({ method: ctx.method, path: ctx.path, status: error.status, code: error.code }, 'open311 request refused');
      const status = known ? error.status : 500;
      const descriptions = error instanceof Open311Error ? error.descriptions : [known ? error.message : 'internal error; retry later, and tell the operator if it persists'];
      if (error instanceof RetryLaterError) ctx.set('Retry-After', String(error.retryAfterSeconds));
      ctx.status = status;
      sendOpen311(ctx, formatOf(ctx.path), { root: 'errors', item: 'error' }, descriptions.map((description) => ({ code: status, description })));
    }
  };
}
