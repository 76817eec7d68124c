import Router from '@koa/router';
import type { DepartmentStats, StatsPeriod } from '../../src/stats';
import { bearerAuth } from './bearerAuth';
import { parsePeriod } from './period';
import { presentStats } from './presenter';

/** The figures for a period; the case repository's `departmentStats` in production. */
export type DepartmentStatsQuery = (period: StatsPeriod) => Promise<DepartmentStats[]>;

export interface StatsRouterOptions {
  /** STATS_API_TOKEN; unset closes the endpoint. */
  token: string | undefined;
  query: DepartmentStatsQuery;
  timeZone?: string;
  now?: () => Date;
}

/** GET /api/stats/departments?from=&to=&street= — per-department evaluation figures (docs/stats-api.md). */
export function statsRouter(options: StatsRouterOptions): Router {
  const router = new Router();
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const now = options.now ?? (() => new Date());
  router.get('/api/stats/departments', bearerAuth(options.token), async (ctx) => {
    const period = parsePeriod(ctx.query, now(), timeZone);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = presentStats(period, await options.query(period));
  });
  return router;
}
