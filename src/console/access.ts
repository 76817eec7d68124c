import type { ActorRole } from '../cases/types';

/** The organisation roles that may open the command centre (grid members and communities use chat). */
export type ConsoleRole = 'admin' | 'district_leader' | 'street_leader' | 'dispatcher' | 'dept_lead' | 'dept_member';
export const CONSOLE_ROLES: readonly ConsoleRole[] = ['admin', 'district_leader', 'street_leader', 'dispatcher', 'dept_lead', 'dept_member'];

/** What a person sees: the district, some streets, or one department's cases. */
export type Scope = { kind: 'district' } | { kind: 'streets'; streetIds: string[] } | { kind: 'department'; deptCode: string };

export interface Viewer {
  userId: string;
  name: string;
  roles: ConsoleRole[];
  scope: Scope;
  districtId: string;
  /** The capacity they act in on a case, as the lifecycle commands know it. */
  actorRole: ActorRole;
  deptCode?: string;
  streetId?: string;
}

export interface OrgPerson {
  userId: string;
  name: string;
  districtId: string;
  roles: readonly string[];
  deptCode?: string;
  streetId?: string;
}

const ROLE_ORDER: readonly ConsoleRole[] = CONSOLE_ROLES;

/**
 * The viewer an organisation member is in the console, or undefined for anyone without a console
 * role. The widest role wins: an admin who is also a dispatcher sees the district.
 */
export function viewerFor(person: OrgPerson): Viewer | undefined {
  const roles = ROLE_ORDER.filter((r) => person.roles.includes(r));
  const widest = roles[0];
  if (widest === undefined) return undefined;
  const base = { userId: person.userId, name: person.name, roles, districtId: person.districtId };
  const at = { ...(person.deptCode !== undefined && { deptCode: person.deptCode }), ...(person.streetId !== undefined && { streetId: person.streetId }) };
  switch (widest) {
    case 'admin':
    case 'district_leader':
      return { ...base, ...at, scope: { kind: 'district' }, actorRole: 'leader' };
    case 'street_leader':
    case 'dispatcher':
      if (person.streetId === undefined) return undefined;
      return { ...base, ...at, scope: { kind: 'streets', streetIds: [person.streetId] }, actorRole: widest === 'dispatcher' ? 'dispatcher' : 'leader' };
    case 'dept_lead':
    case 'dept_member':
      if (person.deptCode === undefined) return undefined;
      return { ...base, ...at, scope: { kind: 'department', deptCode: person.deptCode }, actorRole: widest };
  }
}

/** A department sees the cases it was ever whistled on; a street its streets; the district all. */
export function canSee(scope: Scope, c: { streetId: string; assignments: readonly { deptCode: string }[] }): boolean {
  switch (scope.kind) {
    case 'district': return true;
    case 'streets': return scope.streetIds.includes(c.streetId);
    case 'department': return c.assignments.some((a) => a.deptCode === scope.deptCode);
  }
}

export function isAdmin(viewer: Viewer): boolean {
  return viewer.roles.includes('admin');
}

/** Reporters' identity and contact are the street's; departments see them only once released. */
export function maySeeReporter(viewer: Viewer, released: boolean): boolean {
  return viewer.scope.kind !== 'department' || released;
}
