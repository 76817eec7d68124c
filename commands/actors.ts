import type { Role } from '../config/district';
import type { Actor, ActorRole, CaseSource, Reporter } from '../src/cases';
import type { UserDoc } from '../store/models/org';
import type { OrgDirectory } from './deps';

const ACTOR_ROLE: Record<Role, ActorRole> = {
  grid_member: 'grid',
  community_worker: 'grid',
  dispatcher: 'dispatcher',
  dept_lead: 'dept_lead',
  dept_member: 'dept_member',
  street_leader: 'leader',
  district_leader: 'leader',
  admin: 'leader',
};

export const SYSTEM_ACTOR: Actor = { userId: 'system', name: '系统', role: 'system' };

export function actorFromUser(user: UserDoc, role: ActorRole): Actor {
  return {
    userId: user._id,
    name: user.name,
    role,
    ...(user.deptCode !== undefined && (role === 'dept_lead' || role === 'dept_member') && { deptCode: user.deptCode }),
    ...(user.communityId !== undefined && role === 'grid' && { communityId: user.communityId }),
  };
}

/**
 * The actor a WeCom user is when acting in one capacity: the first of `preferred` the user's roles
 * allow (a person may be both a grid member and a dispatcher). Undefined for unknown users.
 */
export async function actorForUser(org: Pick<OrgDirectory, 'user'>, userId: string, preferred: readonly ActorRole[]): Promise<Actor | undefined> {
  const user = await org.user(userId);
  return user ? actorOf(user, preferred) : undefined;
}

/** The one role→actor rule: the first of `preferred` the user's roles allow (anyone may act as a reporter). */
export function actorOf(user: UserDoc, preferred: readonly ActorRole[]): Actor | undefined {
  const held = new Set(user.roles.map((r) => ACTOR_ROLE[r]));
  const role = preferred.find((r) => held.has(r) || r === 'reporter');
  return role === undefined ? undefined : actorFromUser(user, role);
}

/** The id a reporter is known by: the WeCom userid, or the resident's openid. */
export function reporterId(reporter: Reporter): string | undefined {
  return reporter.userId ?? reporter.openid;
}

/** Who creates a case from a report: the grid member, the resident, or the dispatcher taking a call. */
export function reportingActor(source: CaseSource, reporter: Reporter, communityId: string | undefined): Actor {
  const userId = reporterId(reporter) ?? 'anonymous';
  const name = reporter.name !== undefined ? { name: reporter.name } : {};
  switch (source) {
    case 'grid': return { userId, ...name, role: 'grid', ...(communityId !== undefined && { communityId }) };
    case 'resident': return { userId, ...name, role: 'reporter' };
    case 'hotline':
    case 'open311':
    case 'dispatcher': return { userId, ...name, role: 'dispatcher' };
  }
}

/** The reporter acting on their own case (rating it, cancelling it). */
export function reporterActor(userId: string, name?: string): Actor {
  return { userId, role: 'reporter', ...(name !== undefined && { name }) };
}
