import Koa from 'koa';
import type Router from '@koa/router';
import type { Logger } from '../infra/logger';
import { errorMiddleware } from './errorMiddleware';

/** Composes the Koa app from routers built elsewhere; no route logic lives here. */
export function createWebApp(options: { logger: Logger; routers: Router[]; proxy?: boolean }): Koa {
  const app = new Koa({ proxy: options.proxy ?? false });
  app.use(errorMiddleware(options.logger));
  for (const router of options.routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  app.on('error', (error: Error) => options.logger.warn({ err: error.message }, 'koa error'));
  return app;
}
