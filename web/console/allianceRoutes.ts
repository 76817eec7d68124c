import Router from '@koa/router';
import type { Middleware } from 'koa';
import { figuresOfYear } from '../../commands/alliance/figures';
import { registerParticipant } from '../../commands/alliance/registerParticipant';
import { yearOf } from '../../commands/alliance/year';
import type { AllianceDeps } from '../../commands/alliance/deps';
import { ORGANISATION_KINDS, PARTICIPANT_KIND_NAMES, type Participant } from '../../src/alliance/types';
import type { Viewer } from '../../src/console/access';
import { ParticipantKeyTaken } from '../../store/alliance/allianceRepository';
import { parseRequest } from '../alliance/errors';
import { participantSchema, yearSchema } from '../alliance/schemas';
import { ConflictError, ForbiddenError, HttpError, NotFoundError, ValidationError } from '../errors';
import { readJsonBody } from '../jsonBody';
import type { Audit } from './apiRoutes';
import { consoleState } from './auth';
import type { ConsoleServices } from './services';

export type ConsoleAlliance = Pick<AllianceDeps, 'repo' | 'config' | 'clock'>;

/** Who sees the alliance figures: the district sees every participant, a street those of its street. */
function visibleTo(viewer: Viewer, p: Participant): boolean {
  if (viewer.scope.kind === 'district') return true;
  if (viewer.scope.kind === 'streets') return p.streetId !== undefined && viewer.scope.streetIds.includes(p.streetId);
  return false;
}

function requireAllianceViewer(viewer: Viewer): void {
  if (viewer.scope.kind === 'department') throw new ForbiddenError('联盟报到由街道和区指挥中心管理，部门账号不能查看', 'alliance_street_only');
}

/** Admins register anywhere in the district; street dispatchers and leaders in their own street. */
export function mayRegister(viewer: Viewer): boolean {
  return viewer.roles.includes('admin') || viewer.roles.includes('dispatcher') || viewer.roles.includes('street_leader');
}

type Streets = readonly { id: string; name: string; communities: readonly { id: string }[] }[];

/**
 * The checks on a registration that need no store: the street (the viewer's own when not given;
 * street staff only their own), the community within it, a party member's home organisation, and
 * no resident identity (volunteers register themselves in the mini-program).
 */
export function registrationOf(viewer: Viewer, parsed: Participant, streets: Streets): Participant {
  if (parsed.residentId !== undefined) throw new ValidationError('居民志愿者请在小程序中自行注册，指挥中心不能代填居民身份');
  const ownStreets = viewer.scope.kind === 'streets' ? viewer.scope.streetIds : undefined;
  const streetId = parsed.streetId ?? ownStreets?.[0];
  if (streetId === undefined) throw new ValidationError('请选择所属街道');
  const street = streets.find((s) => s.id === streetId);
  if (!street) throw new ValidationError(`街道 ${streetId} 不在本区`);
  if (ownStreets !== undefined && !ownStreets.includes(streetId)) throw new ForbiddenError('只能登记本街道的报到对象', 'other_street');
  if (parsed.communityId !== undefined && !street.communities.some((c) => c.id === parsed.communityId)) throw new ValidationError(`社区 ${parsed.communityId} 不属于${street.name}`);
  if (parsed.kind === 'party_member' && parsed.homeOrganisation === undefined) throw new ValidationError('党员请填写所在党组织（双报到评价鉴定寄回的单位）');
  return { ...parsed, streetId };
}

/**
 * 联盟报到 in the command centre: the year's figures (quota progress per unit and member, hours,
 * points, stars, rank) and registering participants — the same figures and the same
 * `registerParticipant` use case as `/api/alliance`, behind the console's session, CSRF, roles and audit log.
 */
export function consoleAllianceRouter(services: ConsoleServices, alliance: ConsoleAlliance, audit: Audit, guards: Middleware[]): Router {
  const router = new Router();
  router.use(...guards);
  const streetName = (id: string | undefined) => (id === undefined ? '' : services.places.street(id));

  router.get('/console/api/alliance', async (ctx) => {
    const { viewer } = consoleState(ctx);
    requireAllianceViewer(viewer);
    const year = ctx.query.year === undefined ? yearOf(alliance, alliance.clock()) : parseRequest(yearSchema, ctx.query.year);
    const figures = await figuresOfYear(alliance, year);
    const names = new Map(figures.map((f) => [f.participant.id, f.participant.name]));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      year,
      mayRegister: mayRegister(viewer),
      kinds: Object.entries(PARTICIPANT_KIND_NAMES).map(([code, name]) => ({ code, name })),
      organisations: figures.filter((f) => ORGANISATION_KINDS.includes(f.participant.kind) && visibleTo(viewer, f.participant)).map((f) => ({ id: f.participant.id, name: f.participant.name })),
      participants: figures
        .filter((f) => visibleTo(viewer, f.participant))
        .map((f) => ({
          id: f.participant.id,
          name: f.participant.name,
          kind: f.participant.kind,
          kindName: PARTICIPANT_KIND_NAMES[f.participant.kind],
          orgId: f.participant.orgId ?? null,
          orgName: f.participant.orgId === undefined ? null : names.get(f.participant.orgId) ?? f.participant.orgId,
          homeOrganisation: f.participant.homeOrganisation ?? null,
          streetName: streetName(f.participant.streetId),
          activities: f.activities,
          hours: f.hours,
          points: f.points,
          stars: f.stars,
          redeemed: f.redeemed,
          members: f.members ?? null,
          quota: f.quota ?? null,
          rank: f.rank,
        })),
    };
  });

  router.post('/console/api/alliance/participants', async (ctx) => {
    const { viewer } = consoleState(ctx);
    const body = await readJsonBody(ctx, 16 * 1024);
    const target = typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string' ? body.id.slice(0, 64) : undefined;
    try {
      const participant = await checkedParticipant(viewer, body);
      const registered = await registerParticipant(alliance, participant, `console:${viewer.userId}`);
      await audit(ctx, { action: 'register_participant', target: registered.id, outcome: 'ok', detail: `${PARTICIPANT_KIND_NAMES[registered.kind]} ${registered.name}` });
      ctx.status = 201;
      ctx.body = { participant: registered };
    } catch (error) {
      const refusal = error instanceof ParticipantKeyTaken
        ? new ConflictError(`该企业微信成员已登记为报到对象 ${error.participantId}，一人只能登记一次`, 'already_registered')
        : error;
      if (refusal instanceof HttpError) await audit(ctx, { action: 'register_participant', ...(target !== undefined && { target }), outcome: 'refused', detail: `${refusal.code}: ${refusal.message}` });
      throw refusal;
    }
  });

  async function checkedParticipant(viewer: Viewer, body: unknown): Promise<Participant> {
    if (!mayRegister(viewer)) throw new ForbiddenError('只有管理员和街道调度员、街道领导可以登记报到对象', 'not_allowed');
    const participant = registrationOf(viewer, parseRequest(participantSchema, body) as Participant, services.places.streets);
    if (participant.wecomUserId !== undefined) {
      const user = await services.user(participant.wecomUserId);
      if (!user || user.districtId !== services.districtId) throw new ValidationError(`企业微信成员 ${participant.wecomUserId} 不在本区通讯录中，请核对账号，或不填（无法收到卡片）`);
    }
    if (participant.orgId !== undefined) {
      const org = await alliance.repo.participant(participant.orgId);
      if (!org) throw new NotFoundError(`所属单位或组织 ${participant.orgId} 未登记，请先登记它`, 'unknown_org');
      if (!ORGANISATION_KINDS.includes(org.kind)) throw new ValidationError(`${org.name}是${PARTICIPANT_KIND_NAMES[org.kind]}，不是单位或组织，不能作为所属单位`);
    }
    if (await alliance.repo.participant(participant.id)) throw new ConflictError(`编号 ${participant.id} 已被登记，请换一个编号`, 'participant_exists');
    return participant;
  }

  return router;
}
