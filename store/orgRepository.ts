import type { Connection } from 'mongoose';
import type { DistrictSeed, Role } from '../config/district';
import { department as taxonomyDepartment } from '../src/taxonomy';
import { upsertRetryingFirstRace } from './caseStoreErrors';
import { replaceByIdInCommandSizedChunks, type ReplacementsById } from './commandSizedChunks';
import { orgModels, type DepartmentDoc, type DistrictDoc, type GridDoc, type OrgModels, type StreetDoc, type UserDoc, type CommunityDoc } from './models/org';

export interface SeedCounts { streets: number; communities: number; grids: number; departments: number; users: number }

/** Reads the organisation (who is who, which department owns which chat) and loads seeds. */
export class OrgRepository {
  private readonly models: OrgModels;

  constructor(connection: Connection) {
    this.models = orgModels(connection);
  }

  /**
   * Upserts a district from its seed file. Idempotent: running it twice changes nothing; people
   * removed from the file are removed from the district. Given the seed that was loaded last
   * (`previous`, a change_contact on top of the last sync), only the rows that differ from it are
   * written: one member changed is one user row (and the unit rows listing them), not everyone.
   */
  async loadSeed(seed: DistrictSeed, previous?: DistrictSeed): Promise<SeedCounts> {
    const districtId = seed.district.id;
    const { District, Street, Community, Grid, Department, User } = this.models;
    const rows = orgRows(seed);
    const before = previous && previous.district.id === districtId ? orgRows(previous) : undefined;

    // Several processes of a city may load the same seed into an empty store at once: every upsert
    // below can lose the race of two first inserts of an `_id`, and is tried again (then it replaces).
    await upsertRetryingFirstRace(() => District.updateOne({ _id: districtId }, { $set: { name: seed.district.name, leadershipChat: seed.district.leadershipChat } }, { upsert: true }));
    await replaceChanged(Street, rows.streets, before?.streets);
    await replaceChanged(Community, rows.communities, before?.communities);
    await replaceChanged(Grid, rows.grids, before?.grids);
    await replaceChanged(Department, rows.departments, before?.departments);
    // Removals first: someone removed never holds roles longer than the write of everyone else.
    const kept = new Set(rows.users.map((u) => u._id));
    if (before) {
      const removed = before.users.map((u) => u._id).filter((id) => !kept.has(id));
      if (removed.length > 0) await User.deleteMany({ districtId, _id: { $in: removed } });
    } else {
      await User.deleteMany({ districtId, _id: { $nin: [...kept] } });
    }
    await replaceChanged(User, rows.users, before?.users);
    return { streets: rows.streets.length, communities: rows.communities.length, grids: rows.grids.length, departments: rows.departments.length, users: rows.users.length };
  }

  user(userId: string): Promise<UserDoc | null> {
    return this.models.User.findById(userId).lean<UserDoc>().exec();
  }

  district(districtId: string): Promise<DistrictDoc | null> {
    return this.models.District.findById(districtId).lean<DistrictDoc>().exec();
  }

  street(streetId: string): Promise<StreetDoc | null> {
    return this.models.Street.findById(streetId).lean<StreetDoc>().exec();
  }

  streetsOf(districtId: string): Promise<StreetDoc[]> {
    return this.models.Street.find({ districtId }).sort({ _id: 1 }).lean<StreetDoc[]>().exec();
  }

  community(communityId: string): Promise<CommunityDoc | null> {
    return this.models.Community.findById(communityId).lean<CommunityDoc>().exec();
  }

  grid(gridId: string): Promise<GridDoc | null> {
    return this.models.Grid.findById(gridId).lean<GridDoc>().exec();
  }

  department(districtId: string, code: string): Promise<DepartmentDoc | null> {
    return this.models.Department.findById(`${districtId}:${code}`).lean<DepartmentDoc>().exec();
  }

  departments(districtId: string): Promise<DepartmentDoc[]> {
    return this.models.Department.find({ districtId }).sort({ code: 1 }).lean<DepartmentDoc[]>().exec();
  }

  usersWithRole(districtId: string, role: Role): Promise<UserDoc[]> {
    return this.models.User.find({ districtId, roles: role }).sort({ _id: 1 }).lean<UserDoc[]>().exec();
  }

  /** Users in a community who verify resident cases there (community workers and the grid members). */
  communityStaff(communityId: string): Promise<UserDoc[]> {
    return this.models.User.find({ communityId, roles: { $in: ['community_worker', 'grid_member'] } }).sort({ _id: 1 }).lean<UserDoc[]>().exec();
  }
}

/** The documents a seed makes, collection by collection (what loadSeed writes). */
interface OrgRows {
  streets: StreetDoc[];
  communities: CommunityDoc[];
  grids: GridDoc[];
  departments: DepartmentDoc[];
  users: UserDoc[];
}

function orgRows(seed: DistrictSeed): OrgRows {
  const districtId = seed.district.id;
  const usersWithRole = (role: Role, match: (u: DistrictSeed['users'][number]) => boolean) => seed.users.filter((u) => u.roles.includes(role) && match(u)).map((u) => u.userId);
  const communities = seed.streets.flatMap((s) => s.communities.map((c) => ({ street: s, community: c })));
  const grids = communities.flatMap(({ street, community }) => community.grids.map((g) => ({ street, community, grid: g })));
  const gridById = new Map(grids.map((g) => [g.grid.id, g]));
  return {
    streets: seed.streets.map((s) => ({ _id: s.id, districtId, name: s.name, chat: s.chat, dispatcherUserIds: usersWithRole('dispatcher', (u) => u.streetId === s.id) })),
    communities: communities.map(({ street, community }) => ({ _id: community.id, districtId, streetId: street.id, name: community.name, chat: community.chat })),
    grids: grids.map(({ street, community, grid }) => ({
      _id: grid.id,
      districtId,
      streetId: street.id,
      communityId: community.id,
      name: grid.name,
      memberUserIds: usersWithRole('grid_member', (u) => u.gridId === grid.id),
    })),
    departments: seed.departments.map((d) => ({
      _id: `${districtId}:${d.code}`,
      districtId,
      code: d.code,
      name: d.name ?? taxonomyDepartment(d.code).name,
      chat: d.chat,
      leadUserIds: usersWithRole('dept_lead', (u) => u.deptCode === d.code),
      memberUserIds: seed.users.filter((u) => u.deptCode === d.code).map((u) => u.userId),
    })),
    users: seed.users.map((u) => {
      const place = u.gridId ? gridById.get(u.gridId) : undefined;
      return {
        _id: u.userId,
        districtId,
        name: u.name,
        roles: u.roles,
        deptCode: u.deptCode,
        streetId: u.streetId ?? place?.street.id,
        communityId: u.communityId ?? place?.community.id,
        gridId: u.gridId,
        mobile: u.mobile,
      };
    }),
  };
}

/** Replaces every row, or with `before` only those that differ from it; a bulk write per command-sized chunk. */
async function replaceChanged<Row extends { _id: string }>(model: { bulkWrite(replacements: ReplacementsById<Row>): Promise<unknown> }, rows: Row[], before?: Row[]): Promise<number> {
  const previous = new Map((before ?? []).map((r) => [r._id, JSON.stringify(r)]));
  const changed = before ? rows.filter((r) => previous.get(r._id) !== JSON.stringify(r)) : rows;
  await replaceByIdInCommandSizedChunks(changed, (replacements) => upsertRetryingFirstRace(() => model.bulkWrite(replacements)));
  return changed.length;
}
