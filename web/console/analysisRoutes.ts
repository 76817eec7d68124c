import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { isAdmin, type Viewer } from '../../src/console/access';
import { findCases } from '../../src/console/caseQuery';
import { findHotspots, topIssues } from '../../src/console/hotspots';
import { caseLight } from '../../src/console/lights';
import { assess, departmentFigures, type AssessmentRule } from '../../src/console/rankings';
import { localDate } from '../../src/sla/timeZone';
import { ForbiddenError, ValidationError } from '../errors';
import { consoleState } from './auth';
import type { Audit } from './apiRoutes';
import { searchableCases, visibleCases, xlsx } from './apiRoutes';
import { parseCaseListQuery } from './caseListQuery';
import { categoryName } from '../../src/labels';
import { monthPeriod, monthsEnding, reportRow } from './report';
import type { ConsoleServices } from './services';
import { reportWorkbook } from './workbooks';

const MAP_MARKERS_MAX = 5000;
const TREND_MONTHS = 6;

const assessmentQuery = z.object({
  month: z.string().optional(),
  street: z.string().trim().min(1).max(64).optional(),
  wResponse: z.coerce.number().min(0).max(100).optional(),
  wResolution: z.coerce.number().min(0).max(100).optional(),
  wSatisfaction: z.coerce.number().min(0).max(100).optional(),
  wStreet: z.coerce.number().min(0).max(100).optional(),
  minCases: z.coerce.number().int().min(0).max(10_000).optional(),
});

/** The assessment asked for: this month by default; weights and minimum from the query, else from config. */
function assessmentOf(services: ConsoleServices, viewer: Viewer, query: Record<string, unknown>) {
  const parsed = assessmentQuery.safeParse(query);
  if (!parsed.success) throw new ValidationError('考核参数无效：权重应为 0–100，最少案件数为非负整数，month 如 2026-11');
  const q = parsed.data;
  const month = q.month ?? localDate(services.now(), services.timeZone).slice(0, 7);
  // A street sees its own street's figures; a department the district's (its own row among the others).
  const street = viewer.scope.kind === 'streets' ? (q.street !== undefined && viewer.scope.streetIds.includes(q.street) ? q.street : viewer.scope.streetIds[0]) : q.street;
  const defaults = services.config.assessment;
  const rule: AssessmentRule = {
    weights: { response: q.wResponse ?? defaults.weights.response, resolution: q.wResolution ?? defaults.weights.resolution, satisfaction: q.wSatisfaction ?? defaults.weights.satisfaction, street: q.wStreet ?? defaults.weights.street },
    minCases: q.minCases ?? defaults.minCases,
  };
  if (rule.weights.response + rule.weights.resolution + rule.weights.satisfaction + rule.weights.street <= 0) throw new ValidationError('各项权重不能都为 0');
  return { month, street, rule, period: monthPeriod(month, services.timeZone, street) };
}

function monthlyReport(services: ConsoleServices, viewer: Viewer, query: Record<string, unknown>) {
  const { month, street, rule, period } = assessmentOf(services, viewer, query);
  // Statistics cover the whole district (or street), as the stats API does: a department's rank is among all departments.
  const { stats, reopens } = departmentFigures(services.index.all(), period);
  const rows = assess(stats, reopens, rule).map(reportRow);
  const totals = rows.reduce(
    (t, r) => ({ 接哨数: t.接哨数 + r.whistlesReceived, 按时响应: t.按时响应 + r.acceptedOnTime, 办结: t.办结 + r.done, 结案: t.结案 + r.closed, 退回: t.退回 + r.returns, 街道评价: t.街道评价 + r.streetRated }),
    { 接哨数: 0, 按时响应: 0, 办结: 0, 结案: 0, 退回: 0, 街道评价: 0 },
  );
  const streetName = street === undefined ? '全区' : services.places.street(street);
  return {
    month,
    title: `${month} ${streetName}双向考核月报`,
    street: street ?? null,
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    rule,
    weights: `响应率 ${rule.weights.response}% / 解决率 ${rule.weights.resolution}% / 满意率 ${rule.weights.satisfaction}%${rule.weights.street > 0 ? ` / 街道评价 ${rule.weights.street}%` : ''}，至少 ${rule.minCases} 件参与排名`,
    rows,
    totals,
    topIssues: topIssues(services.index.all(), period.from, period.to).map((t) => ({ ...t, name: categoryName(t.category, t.category) })),
  };
}

/** Map, hotspots, rankings with trends, the monthly report (page data and .xlsx) and the audit log. */
export function consoleAnalysisRouter(services: ConsoleServices, audit: Audit, guards: Middleware[]): Router {
  const router = new Router();
  router.use(...guards);
  const rule = services.config.lights;

  router.get('/console/api/map', async (ctx) => {
    const { viewer } = consoleState(ctx);
    const query = parseCaseListQuery({ ...ctx.query, pageSize: '1' }, services.timeZone);
    await services.index.ready();
    const now = services.now();
    const found = findCases(searchableCases(services, viewer, query), query, now, rule).filter((c) => c.lat !== undefined && c.lng !== undefined);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      total: found.length,
      truncated: found.length > MAP_MARKERS_MAX,
      // The heat map takes every point; markers the most recent ones.
      heat: found.map((c) => [c.lat, c.lng]),
      markers: found.slice(0, MAP_MARKERS_MAX).map((c) => ({ id: c.id, number: c.number, lat: c.lat, lng: c.lng, categoryName: categoryName(c.category, c.category), locationText: c.locationText ?? null, light: caseLight(c, now, rule), open: c.open })),
    };
  });

  router.get('/console/api/hotspots', async (ctx) => {
    const { viewer } = consoleState(ctx);
    await services.index.ready();
    const { period } = assessmentOf(services, viewer, { month: ctx.query.month });
    const spots = findHotspots(visibleCases(services, viewer), period.from, period.to);
    ctx.body = {
      period: { from: period.from.toISOString(), to: period.to.toISOString() },
      hotspots: spots.map((h) => ({ ...h, categoryName: categoryName(h.category, h.category), lastAt: h.lastAt.toISOString() })),
      topIssues: topIssues(visibleCases(services, viewer), period.from, period.to).map((t) => ({ ...t, name: categoryName(t.category, t.category) })),
    };
  });

  router.get('/console/api/rankings', async (ctx) => {
    const { viewer } = consoleState(ctx);
    await services.index.ready();
    const report = monthlyReport(services, viewer, ctx.query);
    const months = monthsEnding(report.month, TREND_MONTHS);
    const trend = months.map((month) => {
      const period = monthPeriod(month, services.timeZone, report.street ?? undefined);
      const { stats, reopens } = departmentFigures(services.index.all(), period);
      return { month, scores: Object.fromEntries(assess(stats, reopens, report.rule).map((a) => [a.deptCode, a.score])) };
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ...report, trend };
  });

  router.get('/console/api/report', async (ctx) => {
    const { viewer } = consoleState(ctx);
    await services.index.ready();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = monthlyReport(services, viewer, ctx.query);
  });

  router.get('/console/api/report.xlsx', async (ctx) => {
    const { viewer } = consoleState(ctx);
    await services.index.ready();
    const report = monthlyReport(services, viewer, ctx.query);
    await audit(ctx, { action: 'export_report', target: report.month, outcome: 'ok' });
    xlsx(ctx, `${report.title}.xlsx`, await reportWorkbook(report));
  });

  router.get('/console/api/audit', async (ctx) => {
    const { viewer } = consoleState(ctx);
    if (!isAdmin(viewer)) throw new ForbiddenError('只有管理员可以查看操作日志', 'admin_only');
    const limit = Math.min(500, Math.max(1, Number(ctx.query.limit) || 100));
    const user = typeof ctx.query.user === 'string' && ctx.query.user !== '' ? ctx.query.user : undefined;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { entries: (await services.audit.latest(limit, user)).map((e) => ({ ...e, at: e.at.toISOString() })) };
  });

  return router;
}
