import { z } from 'zod';
import { ROLES, type DistrictSeed, type Role } from './district';
import { ConfigError } from './errors';
import { parseWith, readJsonFile } from './jsonFile';

/**
 * How WeChat Work's departments (通讯录) map onto ours: each entry names one WeChat Work department,
 * by id (preferred: survives a rename) or by exact name, and the department, street, community or
 * grid of DISTRICT_CONFIG its members belong to, plus the roles they get. Members of sub-departments
 * that no entry names belong to the nearest named ancestor.
 */
const roleList = z.array(z.enum(ROLES)).min(1);
const unitId = z.string().min(1);

const wecomRef = z.union([
  z.object({ id: z.number().int().positive('WeChat Work department ids are positive integers') }).strict(),
  z.object({ name: z.string().trim().min(1, 'must not be empty') }).strict(),
], { error: 'must be {"id": <WeChat Work department id>} or {"name": "<exact department name>"}' });

const entrySchema = z
  .object({
    wecom: wecomRef,
    department: unitId.optional().describe('a department code of DISTRICT_CONFIG'),
    street: unitId.optional(),
    community: unitId.optional(),
    grid: unitId.optional(),
    /** Roles of the department's members; defaults depend on the unit (see DEFAULT_ROLES). */
    roles: roleList.optional(),
    /** Roles of members WeChat Work marks as the department's leader (is_leader_in_dept). */
    leaderRoles: roleList.optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    const units = (['department', 'street', 'community', 'grid'] as const).filter((k) => entry[k] !== undefined);
    if (units.length > 1) ctx.addIssue({ code: 'custom', message: `names ${units.join(' and ')}: an entry maps to one unit at most` });
    if (units.length === 0 && entry.roles === undefined) ctx.addIssue({ code: 'custom', path: ['roles'], message: 'is required when the entry names no department, street, community or grid' });
  });

const userIdPattern = /^[A-Za-z0-9_.@-]{1,64}$/;

export const directoryMappingSchema = z
  .object({
    entries: z.array(entrySchema).min(1, 'must map at least one WeChat Work department'),
    /** Extra roles for named people (e.g. the district's admin), added to what their departments give. */
    users: z
      .record(z.string(), z.object({ roles: roleList }).strict())
      .default({}),
    /** Streets, communities and grids take their WeChat Work department's name (a rename shows at once); false keeps DISTRICT_CONFIG's names. */
    followNames: z.boolean().default(true),
    /**
     * A sync that would remove more than this share of the people it had is refused (a wrong secret or
     * a visibility change can make WeChat Work answer an almost empty directory). `--force` overrides.
     */
    maxRemovedShare: z.number().min(0).max(1).default(0.3),
  })
  .strict()
  .superRefine((mapping, ctx) => {
    for (const userId of Object.keys(mapping.users)) {
      if (!userIdPattern.test(userId)) ctx.addIssue({ code: 'custom', path: ['users', userId], message: 'is not a WeChat Work userid: userids use letters, digits and _ . @ - (at most 64)' });
    }
    const seen = new Map<string, number>();
    mapping.entries.forEach((entry, i) => {
      const key = 'id' in entry.wecom ? `id ${entry.wecom.id}` : `name "${entry.wecom.name}"`;
      const first = seen.get(key);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['entries', i, 'wecom'], message: `WeChat Work department ${key} is already mapped by entries.${first}` });
      else seen.set(key, i);
    });
  });

export type DirectoryMapping = z.output<typeof directoryMappingSchema>;
export type DirectoryMappingEntry = DirectoryMapping['entries'][number];
export type UnitKind = 'department' | 'street' | 'community' | 'grid';

/** Roles of a unit's members (and of its leaders) when the entry does not say. */
export const DEFAULT_ROLES: Record<UnitKind, { members: Role[]; leaders: Role[] }> = {
  department: { members: ['dept_member'], leaders: ['dept_lead'] },
  street: { members: ['dispatcher'], leaders: ['street_leader'] },
  community: { members: ['community_worker'], leaders: ['community_worker'] },
  grid: { members: ['grid_member'], leaders: ['grid_member'] },
};

export function unitOf(entry: DirectoryMappingEntry): { kind: UnitKind; id: string } | undefined {
  for (const kind of ['department', 'street', 'community', 'grid'] as const) {
    const id = entry[kind];
    if (id !== undefined) return { kind, id };
  }
  return undefined;
}

/** How an entry is named in messages: `entries.3 (WeChat Work department id 12)`. */
export function describeEntry(mapping: DirectoryMapping, entry: DirectoryMappingEntry): string {
  const ref = 'id' in entry.wecom ? `id ${entry.wecom.id}` : `"${entry.wecom.name}"`;
  return `entries.${mapping.entries.indexOf(entry)} (WeChat Work department ${ref})`;
}

/** Every unit an entry names must exist in the district's seed; errors name the entry and what to fix. */
export function checkMappingAgainstSeed(mapping: DirectoryMapping, seed: DistrictSeed, source: string): void {
  const known: Record<UnitKind, Set<string>> = {
    department: new Set(seed.departments.map((d) => d.code)),
    street: new Set(seed.streets.map((s) => s.id)),
    community: new Set(seed.streets.flatMap((s) => s.communities.map((c) => c.id))),
    grid: new Set(seed.streets.flatMap((s) => s.communities.flatMap((c) => c.grids.map((g) => g.id)))),
  };
  const problems = mapping.entries.flatMap((entry, i) => {
    const unit = unitOf(entry);
    if (!unit || known[unit.kind].has(unit.id)) return [];
    return [`${source}: entries.${i}.${unit.kind} "${unit.id}" is not a ${unit.kind} of DISTRICT_CONFIG (${seed.district.id}); add it there or fix the id`];
  });
  if (problems.length > 0) throw new ConfigError(problems);
}

/** Reads and validates the directory mapping (DIRECTORY_CONFIG) against the district seed it maps onto. */
export function loadDirectoryMapping(path: string, seed: DistrictSeed): DirectoryMapping {
  const mapping = parseWith(directoryMappingSchema, readJsonFile(path, 'DIRECTORY_CONFIG'), path);
  checkMappingAgainstSeed(mapping, seed, path);
  return mapping;
}
