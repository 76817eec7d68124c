import { cancelActivity, editActivity } from '../../commands/alliance/changeActivity';
import Router from '@koa/router';
import type { Context } from 'koa';
import QRCode from 'qrcode';
import { correctHours } from '../../commands/alliance/attendance';
import { confirmSignup } from '../../commands/alliance/confirmSignup';
import { exchangeReward } from '../../commands/alliance/exchangeReward';
import { figuresOfYear, participantYear } from '../../commands/alliance/figures';
import { postActivity } from '../../commands/alliance/postActivity';
import { registerParticipant } from '../../commands/alliance/registerParticipant';
import { remindBehindQuota } from '../../commands/alliance/reminders';
import { yearOf } from '../../commands/alliance/year';
import { currentQrToken, qrTokenValidUntil } from '../../src/alliance/qrToken';
import type { Participant } from '../../src/alliance/types';
import { ParticipantKeyTaken } from '../../store/alliance/allianceRepository';
import { bearerAuth } from '../bearerAuth';
import { ConflictError, NotFoundError } from '../errors';
import { readJsonBody } from '../jsonBody';
import { attendanceContext } from '../../commands/alliance/attendance';
import { attendPath } from './attendLink';
import { parseRequest, unwrap } from './errors';
import { memberAppraisal, unitRecord } from './reportData';
import { reportHtml, reportXlsx } from './reportFormats';
import { activityCancelSchema, activityEditSchema, activitySchema, confirmSchema, correctionSchema, exchangeSchema, listItemSchema, listKindSchema, participantSchema, yearSchema } from './schemas';
import type { AllianceWebServices } from './services';
import { presentActivity, presentSignup, presentYear } from './views';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function yearParam(ctx: Context, services: AllianceWebServices): number {
  const raw = ctx.query.year;
  return raw === undefined ? yearOf(services.deps, services.deps.clock()) : parseRequest(yearSchema, raw);
}

async function sendReport(ctx: Context, report: Parameters<typeof reportHtml>[0], fileName: string): Promise<void> {
  if (ctx.query.format === 'xlsx') {
    ctx.type = XLSX;
    ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}.xlsx`);
    ctx.body = await reportXlsx(report);
    return;
  }
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = reportHtml(report);
}

/**
 * The command centre's alliance API under /api/alliance (Bearer ALLIANCE_API_TOKEN): registration,
 * the three lists, 哨令, confirmation, corrections, QR codes, figures, rewards, reminders and reports.
 */
export function allianceAdminRouter(services: AllianceWebServices): Router {
  const router = new Router({ prefix: '/api/alliance' });
  const { deps } = services;
  router.use(bearerAuth(services.token, { code: 'alliance_token_not_configured', message: '联盟报到接口未配置令牌（ALLIANCE_API_TOKEN），暂不可用' }));

  router.get('/participants', async (ctx) => {
    ctx.body = { participants: await deps.repo.participants() };
  });

  router.post('/participants', async (ctx) => {
    const participant = parseRequest(participantSchema, await readJsonBody(ctx)) as Participant;
    if (participant.orgId !== undefined && !(await deps.repo.participant(participant.orgId))) throw new NotFoundError(`所属单位或组织 ${participant.orgId} 未登记，请先登记它`, 'unknown_org');
    try {
      ctx.body = { participant: await registerParticipant(deps, participant, 'command-centre') };
    } catch (error) {
      if (error instanceof ParticipantKeyTaken) throw new ConflictError(`该${error.key.startsWith('wecom:') ? '企业微信成员' : '居民'}已登记为报到对象 ${error.participantId}，一人只能登记一次`, 'already_registered');
      throw error;
    }
  });

  router.get('/participants/:id/year', async (ctx) => {
    const year = await participantYear(deps, ctx.params.id ?? '', yearParam(ctx, services));
    if (!year) throw new NotFoundError(`报到对象 ${ctx.params.id ?? ''} 不存在`);
    ctx.body = presentYear(year);
  });

  router.get('/lists/:list', async (ctx) => {
    ctx.body = { items: await deps.repo.listItems(parseRequest(listKindSchema, ctx.params.list)) };
  });

  router.post('/lists/:list', async (ctx) => {
    const list = parseRequest(listKindSchema, ctx.params.list);
    const item = parseRequest(listItemSchema, await readJsonBody(ctx));
    ctx.status = 201;
    ctx.body = { item: await deps.repo.addListItem({ ...item, list, id: `L${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, createdAt: deps.clock() }) };
  });

  router.post('/activities', async (ctx) => {
    const request = parseRequest(activitySchema, await readJsonBody(ctx));
    const posted = unwrap(await postActivity(deps, request));
    ctx.status = 201;
    ctx.body = { activity: presentActivity(posted.activity), targets: posted.targets };
  });

  router.get('/activities/:id', async (ctx) => {
    const activity = await deps.repo.activity(ctx.params.id ?? '');
    if (!activity) throw new NotFoundError(`活动 ${ctx.params.id ?? ''} 不存在`);
    const signups = await deps.repo.signupsOf(activity.id);
    ctx.body = { activity: presentActivity(activity), signups: signups.map((s) => ({ ...presentSignup(s), attendPath: attendPath(deps.secret, activity.id, s.participantId) })) };
  });

  router.patch('/activities/:id', async (ctx) => {
    const { by, ...changes } = parseRequest(activityEditSchema, await readJsonBody(ctx));
    const { activity, waitlisted, promoted } = unwrap(await editActivity(deps, ctx.params.id ?? '', changes, by));
    ctx.body = { activity: presentActivity(activity), waitlisted, promoted };
  });

  router.post('/activities/:id/cancel', async (ctx) => {
    const { reason, by } = parseRequest(activityCancelSchema, await readJsonBody(ctx));
    const { activity, told } = unwrap(await cancelActivity(deps, ctx.params.id ?? '', reason, by));
    ctx.body = { activity: presentActivity(activity), told };
  });

  router.post('/activities/:id/confirm', async (ctx) => {
    const { participantId, by } = parseRequest(confirmSchema, await readJsonBody(ctx));
    unwrap(await confirmSignup(deps, ctx.params.id ?? '', participantId, by));
    ctx.body = { confirmed: participantId };
  });

  router.post('/activities/:id/corrections', async (ctx) => {
    const { participantId, hours, reason, by } = parseRequest(correctionSchema, await readJsonBody(ctx));
    const { ok: _ok, ...corrected } = unwrap(await correctHours(deps, ctx.params.id ?? '', participantId, hours, reason, by));
    ctx.body = corrected;
  });

  router.get('/activities/:id/qr', async (ctx) => {
    const activity = await deps.repo.activity(ctx.params.id ?? '');
    if (!activity) throw new NotFoundError(`活动 ${ctx.params.id ?? ''} 不存在`);
    const now = deps.clock();
    const { rotation } = attendanceContext(deps);
    const token = currentQrToken(activity.id, now, rotation);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { token, validUntil: qrTokenValidUntil(now, rotation).toISOString(), refreshSeconds: rotation.rotateSeconds, svg: await QRCode.toString(token, { type: 'svg', margin: 1 }) };
  });

  router.get('/figures', async (ctx) => {
    const year = yearParam(ctx, services);
    ctx.body = { year, ranking: (await figuresOfYear(deps, year)).map(presentYear) };
  });

  router.post('/rewards', async (ctx) => {
    const { participantId, reward, points, by } = parseRequest(exchangeSchema, await readJsonBody(ctx));
    const { exchange, balance } = unwrap(await exchangeReward(deps, participantId, reward, points, by));
    ctx.status = 201;
    ctx.body = { exchange, balance };
  });

  router.post('/quota-reminders', async (ctx) => {
    ctx.body = await remindBehindQuota(deps);
  });

  router.get('/reports/members/:id', async (ctx) => {
    const year = yearParam(ctx, services);
    const mine = await participantYear(deps, ctx.params.id ?? '', year);
    if (!mine) throw new NotFoundError(`报到对象 ${ctx.params.id ?? ''} 不存在`);
    await sendReport(ctx, memberAppraisal(mine, year, deps.config.timeZone), `${year}-评价鉴定-${mine.participant.name}`);
  });

  router.get('/reports/units/:id', async (ctx) => {
    const year = yearParam(ctx, services);
    const figures = await figuresOfYear(deps, year);
    const unit = figures.find((f) => f.participant.id === ctx.params.id);
    if (!unit) throw new NotFoundError(`单位或组织 ${ctx.params.id ?? ''} 不存在`);
    const members = figures.filter((f) => f.participant.orgId === unit.participant.id);
    await sendReport(ctx, unitRecord(unit, members, year, deps.config.timeZone), `${year}-年度报到记录-${unit.participant.name}`);
  });

  return router;
}
