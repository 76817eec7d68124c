import type { Connection } from 'mongoose';
import type { DistrictSeed, Role } from '../config/district';
import { department as taxonomyDepartment } from '../src/taxonomy';
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
   * removed from the file are removed from the district.
   */
  async loadSeed(seed: DistrictSeed): Promise<SeedCounts> {
    const districtId = seed.district.id;
    const { District, Street, Community, Grid, Department, User } = this.models;
    const usersWithRole = (role: Role, match: (u: DistrictSeed['users'][number]) => boolean) =>
      seed.users.filter((u) => u.roles.includes(role) && match(u)).map((u) => u.userId);

    await District.updateOne({ _id: districtId }, { $set: { name: seed.district.name, leadershipChat: seed.district.leadershipChat } }, { upsert: true });
    const communities = seed.streets.flatMap((s) => s.communities.map((c) => ({ street: s, community: c })));
    const grids = communities.flatMap(({ street, community }) => community.grids.map((g) => ({ street, community, grid: g })));

    await Street.bulkWrite(
      seed.streets.map((s) => ({
        replaceOne: {
          filter: { _id: s.id },
          replacement: { _id: s.id, districtId, name: s.name, chat: s.chat, dispatcherUserIds: usersWithRole('dispatcher', (u) => u.streetId === s.id) },
          upsert: true,
        },
      })),
    );
    await Community.bulkWrite(
      communities.map(({ street, community }) => ({
        replaceOne: { filter: { _id: community.id }, replacement: { _id: community.id, districtId, streetId: street.id, name: community.name, chat: community.chat }, upsert: true },
      })),
    );
    await Grid.bulkWrite(
      grids.map(({ street, community, grid }) => ({
        replaceOne: {
          filter: { _id: grid.id },
          replacement: {
            _id: grid.id,
            districtId,
            streetId: street.id,
            communityId: community.id,
            name: grid.name,
            memberUserIds: usersWithRole('grid_member', (u) => u.gridId === grid.id),
          },
          upsert: true,
        },
      })),
    );
    await Department.bulkWrite(
      seed.departments.map((d) => ({
        replaceOne: {
          filter: { _id: `${districtId}:${d.code}` },
          replacement: {
            _id: `${districtId}:${d.code}`,
            districtId,
            code: d.code,
            name: d.name ?? taxonomyDepartment(d.code).name,
            chat: d.chat,
            leadUserIds: usersWithRole('dept_lead', (u) => u.deptCode === d.code),
            memberUserIds: seed.users.filter((u) => u.deptCode === d.code).map((u) => u.userId),
          },
          upsert: true,
        },
      })),
    );
    const gridById = new Map(grids.map((g) => [g.grid.id, g]));
    // Removals first: someone removed never holds roles longer than the write of everyone else.
    await User.deleteMany({ districtId, _id: { $nin: seed.users.map((u) => u.userId) } });
    await User.bulkWrite(
      seed.users.map((u) => {
        const place = u.gridId ? gridById.get(u.gridId) : undefined;
        return {
          replaceOne: {
            filter: { _id: u.userId },
            replacement: {
              _id: u.userId,
              districtId,
              name: u.name,
              roles: u.roles,
              deptCode: u.deptCode,
              streetId: u.streetId ?? place?.street.id,
              communityId: u.communityId ?? place?.community.id,
              gridId: u.gridId,
              mobile: u.mobile,
            },
            upsert: true,
          },
        };
      }),
    );
    return { streets: seed.streets.length, communities: communities.length, grids: grids.length, departments: seed.departments.length, users: seed.users.length };
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
