import type { Actor, ActorRole, Case } from './types';

/** The department code a community-level case is handled under (社区居委会). */
export const COMMUNITY_DEPT_CODE = 'shequ';

export function hasRole(actor: Actor, ...roles: ActorRole[]): boolean {
  return roles.includes(actor.role);
}

export function isStreetStaff(actor: Actor): boolean {
  return hasRole(actor, 'dispatcher', 'leader');
}

export function isReporterOf(actor: Actor, c: Case): boolean {
  if (actor.role !== 'reporter') return false;
  return actor.userId === c.reporter.userId || actor.userId === c.reporter.openid;
}

/** Grid members act on community-level cases of their own community (any community when unset). */
export function isCommunityWorkerFor(actor: Actor, c: Case): boolean {
  if (actor.role !== 'grid') return false;
  return actor.communityId === undefined || c.communityId === undefined || actor.communityId === c.communityId;
}

/**
 * The department an actor acts for on this case: their own department, or the community's
 * department when a grid member works a community-level case.
 */
export function actingDepartment(actor: Actor, c: Case): string | undefined {
  if ((actor.role === 'dept_member' || actor.role === 'dept_lead') && actor.deptCode) return actor.deptCode;
  if (c.level === 'community' && isCommunityWorkerFor(actor, c)) return COMMUNITY_DEPT_CODE;
  return undefined;
}

export function requiredText(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
