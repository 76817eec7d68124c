import { DEFAULT_ROLES, describeEntry, unitOf, type DirectoryMapping, type DirectoryMappingEntry } from '../../config/directory';
import { districtSeedSchema, type DistrictSeed, type Role } from '../../config/district';
import { holdsRoles, type Directory, type DirectoryBindings, type DirectoryDepartment, type DirectoryMember } from './types';

type SeedUser = DistrictSeed['users'][number];

export interface BuiltOrganisation {
  ok: true;
  /** The district seed with WeChat Work's people in it (and its unit names, with `followNames`). */
  seed: DistrictSeed;
  bindings: DirectoryBindings;
  /** Members of WeChat Work in no mapped department and with no role of their own: not part of the district. */
  unmapped: string[];
  /** Entries whose WeChat Work department no longer exists: their units keep no members. Not an error. */
  missing: string[];
}

export interface RefusedOrganisation {
  ok: false;
  /** What is wrong and what to change, one line each. */
  problems: string[];
}

/** The key a mapping entry's binding is remembered by: its WeChat Work reference. */
export function entryKey(entry: DirectoryMappingEntry): string {
  return 'id' in entry.wecom ? `id:${entry.wecom.id}` : `name:${entry.wecom.name}`;
}

interface Resolved {
  byDepartment: Map<number, DirectoryMappingEntry>;
  bindings: DirectoryBindings;
  missing: string[];
  problems: string[];
}

/**
 * Entries by id bind to that id; entries by name bind to the one department of that name, or, when
 * the department was renamed since, to the id they bound to last time (so a rename keeps its cases).
 */
function resolveEntries(mapping: DirectoryMapping, departments: DirectoryDepartment[], previous: DirectoryBindings): Resolved {
  const ids = new Set(departments.map((d) => d.id));
  const result: Resolved = { byDepartment: new Map(), bindings: {}, missing: [], problems: [] };
  for (const entry of mapping.entries) {
    const key = entryKey(entry);
    let id: number | undefined;
    if ('id' in entry.wecom) {
      id = ids.has(entry.wecom.id) ? entry.wecom.id : undefined;
    } else {
      const name = entry.wecom.name;
      const named = departments.filter((d) => d.name === name);
      const before = previous[key];
      if (named.length === 1) id = named[0]!.id;
      else if (before !== undefined && ids.has(before)) id = before;
      else if (named.length > 1) {
        result.problems.push(`${describeEntry(mapping, entry)}: ${named.length} WeChat Work departments are named "${name}" (ids ${named.map((d) => d.id).join(', ')}); map it by {"id": …} instead`);
        continue;
      }
    }
    if (id === undefined) {
      result.missing.push(describeEntry(mapping, entry));
      continue;
    }
    const taken = result.byDepartment.get(id);
    if (taken) {
      result.problems.push(`${describeEntry(mapping, entry)} and ${describeEntry(mapping, taken)} both resolve to WeChat Work department ${id}; keep one`);
      continue;
    }
    result.byDepartment.set(id, entry);
    result.bindings[key] = id;
  }
  return result;
}

/** The mapped entry a department's members belong to: its own, or its nearest mapped ancestor's. */
function nearestEntry(departmentId: number, parents: Map<number, number>, byDepartment: Map<number, DirectoryMappingEntry>): DirectoryMappingEntry | undefined {
  const visited = new Set<number>();
  let current: number | undefined = departmentId;
  while (current !== undefined && current !== 0 && !visited.has(current)) {
    const entry = byDepartment.get(current);
    if (entry) return entry;
    visited.add(current);
    current = parents.get(current);
  }
  return undefined;
}

interface Place { streetId?: string; communityId?: string; gridId?: string }

function placesOf(seed: DistrictSeed): { grid: Map<string, Required<Place>>; community: Map<string, { streetId: string; communityId: string }> } {
  const grid = new Map<string, Required<Place>>();
  const community = new Map<string, { streetId: string; communityId: string }>();
  for (const street of seed.streets) {
    for (const c of street.communities) {
      community.set(c.id, { streetId: street.id, communityId: c.id });
      for (const g of c.grids) grid.set(g.id, { streetId: street.id, communityId: c.id, gridId: g.id });
    }
  }
  return { grid, community };
}

function placeOf(entry: DirectoryMappingEntry, places: ReturnType<typeof placesOf>): Place | undefined {
  if (entry.grid !== undefined) return places.grid.get(entry.grid);
  if (entry.community !== undefined) return places.community.get(entry.community);
  if (entry.street !== undefined) return { streetId: entry.street };
  return undefined;
}

function userFrom(member: DirectoryMember, memberships: { entry: DirectoryMappingEntry; leader: boolean }[], extraRoles: readonly Role[], places: ReturnType<typeof placesOf>): SeedUser {
  const roles = new Set<Role>();
  let deptCode: string | undefined;
  let place: Place | undefined;
  for (const { entry, leader } of memberships) {
    const unit = unitOf(entry);
    const defaults = unit ? DEFAULT_ROLES[unit.kind] : { members: [], leaders: [] };
    const given = leader ? entry.leaderRoles ?? entry.roles ?? defaults.leaders : entry.roles ?? defaults.members;
    for (const role of given) roles.add(role);
    if (deptCode === undefined && entry.department !== undefined) deptCode = entry.department;
    place ??= placeOf(entry, places);
  }
  for (const role of extraRoles) roles.add(role);
  return {
    userId: member.userId,
    name: member.name,
    roles: [...roles],
    ...(deptCode !== undefined && { deptCode }),
    ...(place?.streetId !== undefined && { streetId: place.streetId }),
    ...(place?.communityId !== undefined && { communityId: place.communityId }),
    ...(place?.gridId !== undefined && { gridId: place.gridId }),
  };
}

/** The main department first, then the others in WeChat Work's order. */
function orderedDepartments(member: DirectoryMember): number[] {
  const main = member.mainDepartment;
  return main !== undefined && member.departments.includes(main) ? [main, ...member.departments.filter((d) => d !== main)] : member.departments;
}

function renamed(skeleton: DistrictSeed, mapping: DirectoryMapping, byDepartment: Map<number, DirectoryMappingEntry>, departments: DirectoryDepartment[]): DistrictSeed {
  if (!mapping.followNames) return skeleton;
  const nameOf = new Map<string, string>();
  const byId = new Map(departments.map((d) => [d.id, d]));
  for (const [id, entry] of byDepartment) {
    const unit = unitOf(entry);
    const name = byId.get(id)?.name;
    if (!unit || unit.kind === 'department' || !name) continue;
    const key = `${unit.kind}:${unit.id}`;
    if (!nameOf.has(key)) nameOf.set(key, name);
  }
  const name = (kind: string, id: string, current: string) => nameOf.get(`${kind}:${id}`) ?? current;
  return {
    ...skeleton,
    streets: skeleton.streets.map((s) => ({
      ...s,
      name: name('street', s.id, s.name),
      communities: s.communities.map((c) => ({ ...c, name: name('community', c.id, c.name), grids: c.grids.map((g) => ({ ...g, name: name('grid', g.id, g.name) })) })),
    })),
  };
}

/** Seed validation issues, with `users.12` spelled as the person it is. */
function describeSeedIssues(seed: DistrictSeed, issues: { path: PropertyKey[]; message: string }[]): string[] {
  return issues.map((issue) => {
    const [head, index, ...rest] = issue.path;
    if (head === 'users' && typeof index === 'number') {
      const user = seed.users[index];
      return `WeChat Work member ${user?.userId ?? index} (${user?.name ?? '?'}): ${rest.join('.')} ${issue.message}; map their department or give them a role in DIRECTORY_CONFIG`;
    }
    return `${issue.path.join('.') || '(root)'} ${issue.message}`;
  });
}

/**
 * Builds the whole organisation from WeChat Work's directory, in memory: the district seed's
 * structure (streets, communities, grids, department chats) with the directory's people in it.
 * Either every part is valid and the result can replace the current organisation, or nothing is
 * returned but the problems.
 */
export function buildOrganisation(skeleton: DistrictSeed, mapping: DirectoryMapping, directory: Directory, previous: DirectoryBindings = {}): BuiltOrganisation | RefusedOrganisation {
  const resolved = resolveEntries(mapping, directory.departments, previous);
  if (resolved.problems.length > 0) return { ok: false, problems: resolved.problems };
  const parents = new Map(directory.departments.map((d) => [d.id, d.parentId]));
  const places = placesOf(skeleton);
  const users: SeedUser[] = [];
  const unmapped: string[] = [];
  const seen = new Set<string>();
  for (const member of directory.members) {
    if (!holdsRoles(member) || seen.has(member.userId)) continue;
    seen.add(member.userId);
    const memberships = orderedDepartments(member).flatMap((departmentId) => {
      const entry = nearestEntry(departmentId, parents, resolved.byDepartment);
      return entry ? [{ entry, leader: member.leaderIn.includes(departmentId) }] : [];
    });
    const extra = mapping.users[member.userId]?.roles ?? [];
    if (memberships.length === 0 && extra.length === 0) {
      unmapped.push(member.userId);
      continue;
    }
    users.push(userFrom(member, memberships, extra, places));
  }
  users.sort((a, b) => a.userId.localeCompare(b.userId));
  const seed: DistrictSeed = { ...renamed(skeleton, mapping, resolved.byDepartment, directory.departments), users };
  if (users.length === 0) return { ok: false, problems: ['no WeChat Work member falls in a mapped department: check DIRECTORY_CONFIG\'s entries and that the directory secret sees the whole directory'] };
  const checked = districtSeedSchema.safeParse(seed);
  if (!checked.success) return { ok: false, problems: describeSeedIssues(seed, checked.error.issues) };
  return { ok: true, seed: checked.data, bindings: resolved.bindings, unmapped, missing: resolved.missing };
}
