import type { OrgChangeSource } from '../infra/orgChanges';
import type { OrgDirectory } from './deps';

type Lookup = (...args: string[]) => Promise<unknown>;

/**
 * The organisation changes only when the district seed is reloaded or the directory synced, yet
 * every notification looks up departments, streets and people: this keeps each answer for `ttlMs`,
 * and forgets them all at once when `changes` says the organisation changed (in any process).
 */
export function cachedOrg(org: OrgDirectory, ttlMs = 30_000, now: () => number = Date.now, changes?: OrgChangeSource): OrgDirectory {
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();
  changes?.onChange(() => entries.clear());
  const cached = <F extends Lookup>(name: string, lookup: F): F =>
    ((...args: string[]) => {
      const key = `${name}\u0000${args.join('\u0000')}`;
      const hit = entries.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      const value = lookup(...args);
      entries.set(key, { at: now(), value });
      // A failed lookup is not remembered.
      value.catch(() => entries.delete(key));
      return value;
    }) as F;
  return {
    user: cached('user', org.user.bind(org)),
    department: cached('department', org.department.bind(org)),
    departments: cached('departments', org.departments.bind(org)),
    street: cached('street', org.street.bind(org)),
    community: cached('community', org.community.bind(org)),
    communityStaff: cached('communityStaff', org.communityStaff.bind(org)),
    district: cached('district', org.district.bind(org)),
    usersWithRole: cached('usersWithRole', org.usersWithRole.bind(org) as (districtId: string, role: string) => ReturnType<OrgDirectory['usersWithRole']>) as OrgDirectory['usersWithRole'],
  };
}
