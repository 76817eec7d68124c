import Router from '@koa/router';
import { mpError } from './errors';
import { buildOpenApiDocument } from './openapi';
import { caseRoutes } from './routes/cases';
import { configRoutes } from './routes/config';
import { mediaRoutes } from './routes/media';
import { reportRoutes } from './routes/report';
import { sessionRoutes } from './routes/session';
import type { MpServices, MpState } from './services';

function openApiRoutes(services: MpServices): Router<MpState> {
  const document = buildOpenApiDocument(services.config);
  const router = new Router<MpState>({ prefix: '/api/mp' });
  router.get('/openapi.json', (ctx) => {
    ctx.body = document;
  });
  return router;
}

/**
 * Anything else under /api/mp answers JSON too, so the front end never has to parse an HTML 404.
 * It answers only what no later router did (the alliance's volunteer routes live under /api/mp
 * too), so the order the app mounts its routers in does not matter.
 */
function notFoundRoutes(): Router<MpState> {
  const router = new Router<MpState>();
  router.all('/api/mp/{*rest}', async (ctx, next) => {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) throw mpError('not_found', { message: '接口不存在，请检查地址（见 /api/mp/openapi.json）' });
  });
  return router;
}

/** Every mini-program route, in matching order; the catch-all comes last. */
export function mpRouters(services: MpServices): Router<MpState>[] {
  return [openApiRoutes(services), configRoutes(services), sessionRoutes(services), reportRoutes(services), caseRoutes(services), mediaRoutes(services), notFoundRoutes()];
}
