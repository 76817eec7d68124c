import { z } from 'zod';
import { DEPARTMENT_CODES } from '../src/taxonomy';
import { parseWith, readJsonFile } from './jsonFile';

/** Where a department's (or a street's) group notices go: an app-owned chat, or the group's robot webhook. */
export const groupChatSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('appchat'), chatId: z.string().regex(/^[0-9A-Za-z]{1,32}$/, 'WeChat Work chat ids are 1-32 letters and digits') }),
  z.object({ kind: z.literal('webhook'), key: z.string().min(1) }),
]);
export type GroupChat = z.infer<typeof groupChatSchema>;

export const ROLES = ['grid_member', 'dispatcher', 'dept_lead', 'dept_member', 'community_worker', 'street_leader', 'district_leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const id = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'ids use letters, digits and _ . @ - (at most 64)');

const userSchema = z.object({
  userId: id.describe('the WeChat Work userid'),
  name: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  deptCode: z.string().optional(),
  streetId: id.optional(),
  communityId: id.optional(),
  gridId: id.optional(),
  mobile: z.string().optional(),
});

const gridSchema = z.object({ id, name: z.string().min(1) });
const communitySchema = z.object({ id, name: z.string().min(1), chat: groupChatSchema.optional(), grids: z.array(gridSchema).min(1) });
const streetSchema = z.object({ id, name: z.string().min(1), chat: groupChatSchema.optional(), communities: z.array(communitySchema).min(1) });
const departmentSchema = z.object({
  code: z.string().refine((c) => DEPARTMENT_CODES.includes(c), 'must be a department code from config/taxonomy.json'),
  name: z.string().min(1).optional(),
  chat: groupChatSchema,
});

export const districtSeedSchema = z
  .object({
    district: z.object({ id, name: z.string().min(1), leadershipChat: groupChatSchema }),
    streets: z.array(streetSchema).min(1),
    departments: z.array(departmentSchema).min(1),
    users: z.array(userSchema).min(1),
  })
  .superRefine((seed, ctx) => {
    const grids = new Set(seed.streets.flatMap((s) => s.communities.flatMap((c) => c.grids.map((g) => g.id))));
    const communities = new Set(seed.streets.flatMap((s) => s.communities.map((c) => c.id)));
    const streets = new Set(seed.streets.map((s) => s.id));
    const departments = new Set(seed.departments.map((d) => d.code));
    seed.users.forEach((user, i) => {
      const at = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: ['users', i, key], message });
      if (user.gridId && !grids.has(user.gridId)) at('gridId', `unknown grid "${user.gridId}"`);
      if (user.communityId && !communities.has(user.communityId)) at('communityId', `unknown community "${user.communityId}"`);
      if (user.streetId && !streets.has(user.streetId)) at('streetId', `unknown street "${user.streetId}"`);
      if (user.deptCode && !departments.has(user.deptCode)) at('deptCode', `department "${user.deptCode}" is not listed in departments`);
      const needsDept = user.roles.some((r) => r === 'dept_lead' || r === 'dept_member');
      if (needsDept && !user.deptCode) at('deptCode', 'is required for dept_lead and dept_member');
      if (user.roles.includes('grid_member') && !user.gridId) at('gridId', 'is required for grid_member');
      if (user.roles.includes('dispatcher') && !user.streetId) at('streetId', 'is required for dispatcher');
      if (user.roles.includes('street_leader') && !user.streetId) at('streetId', 'is required for street_leader');
    });
    const userIds = seed.users.map((u) => u.userId);
    const repeated = userIds.filter((u, i) => userIds.indexOf(u) !== i);
    if (repeated.length > 0) ctx.addIssue({ code: 'custom', path: ['users'], message: `userId listed twice: ${[...new Set(repeated)].join(', ')}` });
  });

export type DistrictSeed = z.infer<typeof districtSeedSchema>;

/** Reads and validates a district seed file; errors name the file and the bad key. */
export function loadDistrictSeed(path: string): DistrictSeed {
  return parseWith(districtSeedSchema, readJsonFile(path, 'DISTRICT_CONFIG'), path);
}
