import type { OrgDirectory } from '../../../commands/deps';
import type { Case } from '../../../src/cases';
import type { DepartmentDoc } from '../../../store/models/org';

/** Who, in the organisation, a case's cards and notices go to. */
export class Recipients {
  constructor(private readonly org: OrgDirectory) {}

  department(c: Case, code: string): Promise<DepartmentDoc | null> {
    return this.org.department(c.districtId, code);
  }

  /** The department's leads, or all its members when it has no lead on file. */
  async departmentLeads(c: Case, code: string): Promise<string[]> {
    const dept = await this.department(c, code);
    if (!dept) return [];
    return dept.leadUserIds.length > 0 ? dept.leadUserIds : dept.memberUserIds;
  }

  async dispatchers(c: Case): Promise<string[]> {
    return (await this.org.street(c.streetId))?.dispatcherUserIds ?? [];
  }

  /** A WeCom user who reported the case (grid member, dispatcher); residents and callers have none. */
  reporterUser(c: Case): string | undefined {
    return c.source === 'resident' ? undefined : c.reporter.userId;
  }

  /** Who checks the result on site: the reporting grid member, else the community, else the street. */
  async verifiers(c: Case): Promise<string[]> {
    if (c.source === 'grid' && c.reporter.userId) return [c.reporter.userId];
    if (c.communityId) {
      const staff = (await this.org.communityStaff(c.communityId)).map((u) => u._id);
      if (staff.length > 0) return staff;
    }
    return this.dispatchers(c);
  }

  /** Who decides on a community-level case: the reporting grid member, else the community staff. */
  async communityHandlers(c: Case): Promise<string[]> {
    if (c.source === 'grid' && c.reporter.userId) return [c.reporter.userId];
    if (!c.communityId) return this.dispatchers(c);
    return (await this.org.communityStaff(c.communityId)).map((u) => u._id);
  }

  /** The district's leaders (区领导): where a 提请区级督办 goes. */
  async districtLeaders(c: Case): Promise<string[]> {
    return (await this.org.usersWithRole(c.districtId, 'district_leader')).map((u) => u._id);
  }

  async departments(c: Case): Promise<string[]> {
    return (await this.org.departments(c.districtId)).map((d) => d.code);
  }
}
