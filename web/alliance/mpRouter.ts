import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import { checkIn, checkOut } from '../../commands/alliance/attendance';
import { participantYear } from '../../commands/alliance/figures';
import { registerVolunteer } from '../../commands/alliance/registerParticipant';
import { signUp, withdraw } from '../../commands/alliance/signUp';
import { yearOf } from '../../commands/alliance/year';
import { isTargeted } from '../../src/alliance/targeting';
import type { Participant } from '../../src/alliance/types';
import { ForbiddenError, ValidationError } from '../errors';
import { volunteerGrantScope } from '../../bots/wechat-mp/volunteerNotifier';
import { addGrants, subscriptionId } from '../../store/models/residentSubscription';
import { readJsonBody } from '../jsonBody';
import { authenticate, residentOf } from '../mp/middleware';
import type { MpState } from '../mp/services';
import { parseRequest, unwrap } from './errors';
import { evidenceFrom } from './evidence';
import { subscriptionsSchema, volunteerSchema } from './schemas';
import type { AllianceWebServices } from './services';
import { presentActivity, presentSignup, presentYear } from './views';

type Ctx = ParameterizedContext<MpState>;

async function me(ctx: Ctx, services: AllianceWebServices): Promise<Participant> {
  const participant = await services.deps.repo.participantByResident(residentOf(ctx).residentId);
  if (!participant) throw new ForbiddenError('您还没有登记为志愿者，请先在「志愿者报到」中登记', 'not_registered');
  return participant;
}

/**
 * Volunteers (people outside the corp) through the residents' mini-program, with the same session
 * token: register, see the 哨令 addressed to them, sign up, check in and out, see their year.
 */
export function allianceMpRouter(services: AllianceWebServices): Router<MpState> {
  const router = new Router<MpState>({ prefix: '/api/mp/alliance' });
  const { deps } = services;
  router.use(authenticate(services));

  router.post('/volunteer', async (ctx) => {
    const details = parseRequest(volunteerSchema, await readJsonBody(ctx));
    ctx.body = { participant: await registerVolunteer(deps, residentOf(ctx).residentId, details) };
  });

  router.get('/activities', async (ctx) => {
    const participant = await me(ctx, services);
    const now = deps.clock();
    const open = (await deps.repo.activitiesOfYear(yearOf(deps, now))).filter((a) => a.endsAt.getTime() > now.getTime() && isTargeted(a, participant));
    const signups = new Map((await deps.repo.signupsOfParticipant(participant.id)).map((s) => [s.activityId, s]));
    ctx.body = {
      activities: open
        .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
        .map((a) => {
          const signup = signups.get(a.id);
          return { ...presentActivity(a), signup: signup ? presentSignup(signup) : null };
        }),
    };
  });

  router.post('/activities/:id/signup', async (ctx) => {
    const { ok: _ok, ...answer } = unwrap(await signUp(deps, ctx.params.id ?? '', await me(ctx, services)));
    ctx.status = 201;
    ctx.body = answer;
  });

  router.post('/activities/:id/withdraw', async (ctx) => {
    unwrap(await withdraw(deps, ctx.params.id ?? '', await me(ctx, services)));
    ctx.body = { withdrawn: true };
  });

  router.post('/activities/:id/check-in', async (ctx) => {
    const participant = await me(ctx, services);
    const { at } = unwrap(await checkIn(deps, ctx.params.id ?? '', participant, evidenceFrom(await readJsonBody(ctx))));
    ctx.body = { checkedInAt: at.toISOString() };
  });

  router.post('/activities/:id/check-out', async (ctx) => {
    const participant = await me(ctx, services);
    const { at, hours, points } = unwrap(await checkOut(deps, ctx.params.id ?? '', participant, evidenceFrom(await readJsonBody(ctx))));
    ctx.body = { checkedOutAt: at.toISOString(), hours, points };
  });

  router.get('/me', async (ctx) => {
    const participant = await me(ctx, services);
    const year = await participantYear(deps, participant.id, yearOf(deps, deps.clock()));
    ctx.body = year ? presentYear(year) : { participant };
  });

  /** The templates a volunteer may allow (wx.requestSubscribeMessage), and how many messages of each are left. */
  router.get('/subscriptions', async (ctx) => {
    const participant = await me(ctx, services);
    const templates = Object.entries(services.subscribe.volunteerTemplates).flatMap(([kind, t]) => (t ? [{ kind, templateId: t.templateId }] : []));
    const remaining = await Promise.all(templates.map(async (t) => (await services.subscriptions.findById(subscriptionId(volunteerGrantScope(participant.residentId ?? ''), t.templateId)).lean().exec())?.remaining ?? 0));
    ctx.body = { templates: templates.map((t, i) => ({ ...t, remaining: remaining[i] ?? 0 })) };
  });

  /** What wx.requestSubscribeMessage answered 'accept' for: one more message of each of those templates. */
  router.post('/subscriptions', async (ctx) => {
    await me(ctx, services);
    const { templateIds } = parseRequest(subscriptionsSchema, await readJsonBody(ctx));
    const known = new Map(Object.entries(services.subscribe.volunteerTemplates).flatMap(([kind, t]) => (t ? [[t.templateId, kind] as const] : [])));
    const unknown = templateIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new ValidationError(`不认识的订阅消息模板：${unknown.join('、')}，请用 GET /api/mp/alliance/subscriptions 给出的模板`);
    const residentId = residentOf(ctx).residentId;
    for (const templateId of new Set(templateIds)) await addGrants(services.subscriptions, { caseId: volunteerGrantScope(residentId), residentId, templateId }, 1, deps.clock());
    ctx.status = 201;
    ctx.body = { kinds: [...new Set(templateIds)].map((id) => known.get(id)) };
  });

  return router;
}
