import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { actOnCase } from '../../commands/actOnCase';
import { canSee, isAdmin, maySeeReporter, type Viewer } from '../../src/console/access';
import { findCases, onlyOpenMatch, type CaseFilter } from '../../src/console/caseQuery';
import type { CaseSummary } from '../../src/console/summary';
import { localDate, zonedInstant } from '../../src/sla/timeZone';
import type { Case } from '../../src/cases/types';
import { ConflictError, ForbiddenError, HttpError, NotFoundError, ValidationError } from '../errors';
import { readJsonBody } from '../jsonBody';
import { consoleState } from './auth';
import { parseAction } from './actionSchema';
import { parseCaseListQuery } from './caseListQuery';
import { CASE_STATE_NAMES } from '../../src/labels';
import { taxonomy } from '../../src/taxonomy';
import { presentBoard, presentCase, presentStoreNotice, presentSummary } from './presenters';
import type { ConsoleServices } from './services';
import { casesWorkbook } from './workbooks';

export type Audit = (ctx: Context, entry: { action: string; target?: string; outcome: 'ok' | 'refused'; detail?: string }) => Promise<void>;

const REFUSAL_STATUS: Record<string, number> = { not_found: 404, not_allowed: 403, not_yours: 403, invalid_input: 400, conflict: 409 };

/** The cases of `among` (every case by default) the viewer may see. */
export function* visibleCases(services: ConsoleServices, viewer: Viewer, among: Iterable<CaseSummary> = services.index.all()): Generator<CaseSummary> {
  for (const c of among) if (canSee(viewer.scope, c)) yield c;
}

/** The visible cases a search with `filter` must look at: the open ones only when nothing else can match. */
export function searchableCases(services: ConsoleServices, viewer: Viewer, filter: CaseFilter): Generator<CaseSummary> {
  return visibleCases(services, viewer, onlyOpenMatch(filter) ? services.index.open() : services.index.all());
}

export function xlsx(ctx: Context, filename: string, body: Buffer): void {
  ctx.set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
}

/** The board, the case list and its export, a case's detail, its photos and its actions, and the live event stream. */
export function consoleApiRouter(services: ConsoleServices, audit: Audit, guards: Middleware[]): Router {
  const router = new Router();
  router.use(...guards);
  const rule = services.config.lights;

  const dayStart = (now: Date) => zonedInstant(localDate(now, services.timeZone), 0, services.timeZone);

  const visibleCase = async (viewer: Viewer, id: string): Promise<Case> => {
    const c = /^[a-f0-9]{24}$/.test(id) ? await services.loadCase(id) : undefined;
    // Someone else's case is "not found": whether it exists is not theirs to know.
    if (!c || c.districtId !== services.districtId || !canSee(viewer.scope, c)) throw new NotFoundError('没有找到该案件，或您无权查看', 'case_not_found');
    return c;
  };

  router.get('/console/api/me', async (ctx) => {
    const { viewer, session } = consoleState(ctx);
    ctx.body = {
      userId: viewer.userId, name: viewer.name, roles: viewer.roles, scope: viewer.scope, csrf: session.csrf, admin: isAdmin(viewer),
      streets: services.places.streets.filter((s) => canSee(viewer.scope, { streetId: s.id, assignments: [] }) || viewer.scope.kind === 'department'),
      map: services.config.map,
      assessment: services.config.assessment,
      categories: taxonomy.categories.map((c) => ({ code: c.code, name: c.name })),
      departments: taxonomy.departments.map((d) => ({ code: d.code, name: d.name })),
      states: Object.entries(CASE_STATE_NAMES.console).map(([code, name]) => ({ code, name })),
    };
  });

  router.get('/console/api/board', async (ctx) => {
    const { viewer } = consoleState(ctx);
    await services.index.ready();
    const now = services.now();
    ctx.set('Cache-Control', 'no-store');
    const today = dayStart(now);
    const storeNotice = viewer.scope.kind === 'district' ? presentStoreNotice(services.storeLoad()) : undefined;
    ctx.body = { ...presentBoard(services.index.board(viewer.scope, now, today), services.places), ...(storeNotice !== undefined && { storeNotice }) };
  });

  router.get('/console/api/cases', async (ctx) => {
    const { viewer } = consoleState(ctx);
    const query = parseCaseListQuery(ctx.query, services.timeZone);
    await services.index.ready();
    const now = services.now();
    const page = services.index.casePage(viewer.scope, query, now, rule);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ...page, items: page.items.map((c) => presentSummary(c, now, services.places, rule)) };
  });

  router.get('/console/api/cases/export.xlsx', async (ctx) => {
    const { viewer } = consoleState(ctx);
    const query = parseCaseListQuery(ctx.query, services.timeZone);
    await services.index.ready();
    const now = services.now();
    const found = findCases(searchableCases(services, viewer, query), query, now, rule);
    if (found.length > services.config.exportMaxRows) throw new ValidationError(`一次最多导出 ${services.config.exportMaxRows} 条，当前筛选有 ${found.length} 条，请缩小筛选范围`);
    await audit(ctx, { action: 'export_cases', outcome: 'ok', detail: `${found.length} 条` });
    xlsx(ctx, `案件列表-${localDate(now, services.timeZone)}.xlsx`, await casesWorkbook(found.map((c) => presentSummary(c, now, services.places, rule)), '案件列表'));
  });

  router.get('/console/api/cases/:id', async (ctx) => {
    const { viewer } = consoleState(ctx);
    const c = await visibleCase(viewer, ctx.params.id ?? '');
    const showReporter = maySeeReporter(viewer, c.reporterRelease !== undefined);
    const reporterUser = showReporter && c.reporter.userId ? await services.user(c.reporter.userId) : undefined;
    const contact = { ...(reporterUser?.name !== undefined && { name: reporterUser.name }), ...(reporterUser?.mobile !== undefined && { mobile: reporterUser.mobile }) };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = presentCase(c, viewer, services.now(), services.places, (i, where) => `/console/api/cases/${c.id}/photos/${where}/${i}`, contact, rule);
  });

  router.get('/console/api/cases/:id/photos/:where/:index', async (ctx) => {
    const { viewer } = consoleState(ctx);
    const c = await visibleCase(viewer, ctx.params.id ?? '');
    const where = ctx.params.where ?? '';
    const index = Number(ctx.params.index);
    const result = /^result-(\d+)$/.exec(where);
    const list = where === 'report' ? c.media : result ? c.assignments[Number(result[1])]?.resultMedia : undefined;
    const ref = Number.isInteger(index) ? list?.[index] : undefined;
    const stored = ref ? await services.media.get(ref.ref).catch(() => undefined) : undefined;
    if (!stored) throw new NotFoundError('没有这张照片', 'photo_not_found');
    ctx.type = stored.meta.contentType;
    ctx.set('Cache-Control', 'private, max-age=3600');
    ctx.body = stored.data;
  });

  router.post('/console/api/cases/:id/actions', async (ctx) => {
    const { viewer } = consoleState(ctx);
    const caseId = ctx.params.id ?? '';
    const { command, commandId } = parseAction(await readJsonBody(ctx, 16 * 1024));
    if (viewer.roles.every((r) => r === 'dept_member') ) {
      await audit(ctx, { action: command.type, target: caseId, outcome: 'refused', detail: '部门工作人员只能查看' });
      throw new ForbiddenError('部门工作人员在指挥中心只能查看；接哨、退回请由部门负责人操作', 'read_only');
    }
    const result = await actOnCase(services.lifecycle, {
      caseId,
      command,
      actor: { userId: viewer.userId, name: viewer.name, role: viewer.actorRole, ...(viewer.deptCode !== undefined && viewer.scope.kind === 'department' && { deptCode: viewer.deptCode }) },
      mayView: (c) => c.districtId === services.districtId && canSee(viewer.scope, c),
      ...(commandId !== undefined && { commandId }),
    });
    if (!result.ok) {
      await audit(ctx, { action: command.type, target: caseId, outcome: 'refused', detail: `${result.code}: ${result.reason}` });
      const status = REFUSAL_STATUS[result.code] ?? 409;
      throw status === 409 ? new ConflictError(result.reason, result.code) : new HttpError(status, result.code, result.reason);
    }
    await audit(ctx, { action: command.type, target: result.case.number, outcome: 'ok' });
    ctx.body = { ok: true, number: result.case.number, state: result.case.state, version: result.case.version };
  });

  router.get('/console/api/events', async (ctx) => {
    const { viewer } = consoleState(ctx);
    services.streams.open(ctx, viewer.scope);
  });

  return router;
}
