import Router from '@koa/router';
import type { RefusalCode } from '../../../src/cases';
import type { ResidentCaseDoc } from '../../../store/models/residentCase';
import { addGrants } from '../../../store/models/residentSubscription';
import { readForm } from '../body';
import { presentCaseDetail, presentCaseSummary } from '../caseViews';
import { mpError, type MpErrorCode } from '../errors';
import { authenticate, limitByIp, limitByResident, residentOf } from '../middleware';
import { ownCase, viewContextFor } from '../ownCases';
import { SATISFACTION_NAMES } from '../../../src/labels';
import type { MpServices, MpState } from '../services';
import { parseRequest } from '../validate';

const REFUSAL_ERRORS: Partial<Record<RefusalCode, MpErrorCode>> = {
  illegal_state: 'not_closed',
  already_rated: 'already_rated',
  already_applied: 'already_rated',
  not_found: 'case_not_found',
  not_allowed: 'case_not_found',
  conflict: 'conflict',
};

/** "我的诉求": list, detail, rating, and later subscribe-message grants. */
export function caseRoutes(services: MpServices): Router<MpState> {
  const router = new Router<MpState>({ prefix: '/api/mp' });
  const { schemas } = services;
  const read = [limitByIp(services, 'read'), authenticate(services), limitByResident(services, 'read')];
  const write = [limitByIp(services, 'write'), authenticate(services), limitByResident(services, 'write')];

  router.get('/cases', ...read, async (ctx) => {
    const { page, pageSize } = parseRequest(schemas.listQuery, ctx.query);
    const { residentId } = residentOf(ctx);
    const [links, total] = await Promise.all([
      services.residentCases.find({ residentId }).sort({ createdAt: -1, _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean<ResidentCaseDoc[]>().exec(),
      services.residentCases.countDocuments({ residentId }).exec(),
    ]);
    const cases = await Promise.all(links.map((link) => services.cases.findById(link._id)));
    const items = links.flatMap((link, i) => {
      const found = cases[i];
      return found ? [presentCaseSummary(found, link)] : [];
    });
    ctx.body = { items, page, pageSize, total, hasMore: page * pageSize < total };
  });

  router.get('/cases/:id', ...read, async (ctx) => {
    const own = await ownCase(services, residentOf(ctx).residentId, ctx.params.id ?? '');
    ctx.body = await presentCaseDetail(own.case, own.link, await viewContextFor(services, services.publicBaseUrl(), own.case));
  });

  router.post('/cases/:id/rating', ...write, async (ctx) => {
    const resident = residentOf(ctx);
    const own = await ownCase(services, resident.residentId, ctx.params.id ?? '');
    const input = parseRequest(schemas.rating, (await readForm(ctx)).fields);
    // One command id per case: a retried request is refused by the case itself, not rated twice.
    const result = await services.cases.rate(own.case.id, resident.openid, { value: input.value, ...(input.comment ? { comment: input.comment } : {}) }, `mp-rate-${own.case.id}`);
    if (!result.ok) throw mpError(REFUSAL_ERRORS[result.code] ?? 'conflict');
    const rating = result.case.satisfaction;
    if (!rating) throw new Error(`rate command on ${own.case.id} succeeded without a satisfaction record`);
    services.logger.info({ caseId: own.case.id, value: rating.value }, 'resident rated a case');
    ctx.status = 201;
    ctx.body = { value: rating.value, name: SATISFACTION_NAMES[rating.value], comment: rating.comment ?? null, at: rating.at.toISOString() };
  });

  router.post('/cases/:id/subscriptions', ...write, async (ctx) => {
    const resident = residentOf(ctx);
    const own = await ownCase(services, resident.residentId, ctx.params.id ?? '');
    const { templateIds } = parseRequest(schemas.subscriptions, (await readForm(ctx)).fields);
    const granted = new Set(templateIds);
    const milestones: string[] = [];
    for (const [milestone, template] of Object.entries(services.config.subscribe.templates)) {
      if (!template || !granted.has(template.templateId)) continue;
      await addGrants(services.subscriptions, { caseId: own.case.id, residentId: resident.residentId, templateId: template.templateId }, 1, services.clock());
      milestones.push(milestone);
    }
    ctx.body = { milestones };
  });

  return router;
}
