import Router from '@koa/router';

/** A named dependency probe for /readyz: resolves true when the dependency answers. */
export type ReadinessCheck = () => Promise<boolean>;

/**
 * `/healthz`: the process is alive. `/readyz`: every dependency answers, else 503 naming the ones
 * that failed; `details` adds what an operator should know without failing readiness.
 */
export function healthRoutes(checks: Record<string, ReadinessCheck>, details: () => Record<string, unknown> = () => ({})): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => checks[name]!().catch(() => false)));
    const failed = names.filter((_, i) => !results[i]);
    ctx.status = failed.length === 0 ? 200 : 503;
    ctx.body = {
      status: failed.length === 0 ? 'ready' : 'not_ready',
      checks: Object.fromEntries(names.map((name, i) => [name, results[i] ? 'ok' : 'failed'])),
      ...(failed.length > 0 ? { failed } : {}),
      details: details(),
    };
  });
  return router;
}
