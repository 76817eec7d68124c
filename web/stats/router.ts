import { CHINA_TIME_ZONE } from '../../src/chinaTime';
import Router from '@koa/router';
import type { DepartmentStats, StatsPeriod } from '../../src/stats';
import { bearerAuth } from '../bearerAuth';
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
  const timeZone = options.timeZone ?? CHINA_TIME_ZONE;
  const now = options.now ?? (() => new Date());
  const auth = bearerAuth(options.token, { code: 'stats_token_not_configured', message: '统计接口未配置令牌（STATS_API_TOKEN），暂不可用' });
  router.get('/api/stats/departments', auth, async (ctx) => {
    const period = parsePeriod(ctx.query, now(), timeZone);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = presentStats(period, await options.query(period));
  });
  return router;
}
