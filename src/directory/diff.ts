import type { DistrictSeed } from '../../config/district';

type SeedUser = DistrictSeed['users'][number];

export interface PersonRef { userId: string; name: string }
export interface MovedPerson extends PersonRef { from: string; to: string }
export interface RoleChange extends PersonRef { from: string[]; to: string[] }
export interface RenamedUnit { kind: 'street' | 'community' | 'grid'; id: string; from: string; to: string }

export interface OrganisationDiff {
  added: PersonRef[];
  removed: PersonRef[];
  /** Another department, street, community or grid. */
  moved: MovedPerson[];
  roles: RoleChange[];
  renamed: RenamedUnit[];
}

/** Where a person sits, as one readable string: `zhujian` or `wenming/nongji/nongji-1`. */
export function placeLabel(user: SeedUser): string {
  const place = [user.streetId, user.communityId, user.gridId].filter((p) => p !== undefined).join('/');
  return [user.deptCode, place].filter((p) => p !== undefined && p !== '').join(' ') || '(no unit)';
}

function units(seed: DistrictSeed): Map<string, { kind: RenamedUnit['kind']; id: string; name: string }> {
  const all = new Map<string, { kind: RenamedUnit['kind']; id: string; name: string }>();
  for (const s of seed.streets) {
    all.set(`street:${s.id}`, { kind: 'street', id: s.id, name: s.name });
    for (const c of s.communities) {
      all.set(`community:${c.id}`, { kind: 'community', id: c.id, name: c.name });
      for (const g of c.grids) all.set(`grid:${g.id}`, { kind: 'grid', id: g.id, name: g.name });
    }
  }
  return all;
}

const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** What replacing `before` by `after` changes: who comes, goes, moves or changes roles, and which units are renamed. */
export function diffOrganisations(before: DistrictSeed, after: DistrictSeed): OrganisationDiff {
  const old = new Map(before.users.map((u) => [u.userId, u]));
  const next = new Map(after.users.map((u) => [u.userId, u]));
  const ref = (u: SeedUser): PersonRef => ({ userId: u.userId, name: u.name });
  const diff: OrganisationDiff = { added: [], removed: [], moved: [], roles: [], renamed: [] };
  for (const user of after.users) {
    const was = old.get(user.userId);
    if (!was) {
      diff.added.push(ref(user));
      continue;
    }
    if (placeLabel(was) !== placeLabel(user)) diff.moved.push({ ...ref(user), from: placeLabel(was), to: placeLabel(user) });
    if (!sameRoles(was.roles, user.roles)) diff.roles.push({ ...ref(user), from: [...was.roles].sort(), to: [...user.roles].sort() });
  }
  for (const user of before.users) if (!next.has(user.userId)) diff.removed.push(ref(user));
  const oldUnits = units(before);
  for (const [key, unit] of units(after)) {
    const was = oldUnits.get(key);
    if (was && was.name !== unit.name) diff.renamed.push({ kind: unit.kind, id: unit.id, from: was.name, to: unit.name });
  }
  return diff;
}

export function isEmptyDiff(diff: OrganisationDiff): boolean {
  return diff.added.length + diff.removed.length + diff.moved.length + diff.roles.length + diff.renamed.length === 0;
}

/** The diff as lines for a terminal or a log: `+ 张三 (zhangsan)`, `- …`, `~ moved …`. */
export function formatDiff(diff: OrganisationDiff): string[] {
  const who = (p: PersonRef) => `${p.name} (${p.userId})`;
  return [
    ...diff.added.map((p) => `+ added    ${who(p)}`),
    ...diff.removed.map((p) => `- removed  ${who(p)}`),
    ...diff.moved.map((p) => `~ moved    ${who(p)}: ${p.from} → ${p.to}`),
    ...diff.roles.map((p) => `~ roles    ${who(p)}: ${p.from.join(',')} → ${p.to.join(',')}`),
    ...diff.renamed.map((u) => `~ renamed  ${u.kind} ${u.id}: ${u.from} → ${u.to}`),
  ];
}
