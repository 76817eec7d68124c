import type { GroupChat } from '../config/district';
import { COMMUNITY_DEPT_CODE, type Case } from '../src/cases';
import { departmentName, ESCALATION_TARGET_NAMES } from '../src/labels';
import type { EscalationTarget, PlannedAlert, StageKind } from '../src/sla';
import type { DepartmentDoc } from '../store/models/org';
import type { OrgDirectory } from './deps';

/** Where a notice goes: a group chat (people @-mentioned there), or straight to people. */
export interface Audience {
  label: string;
  chat?: GroupChat;
  userIds: string[];
  names: string[];
}

/** One deadline of a case, as far as who owns it goes: the accept or finish limit of a department, or the verify limit. */
export interface LimitOwner {
  kind: StageKind;
  deptCode?: string;
}

/** Who, in the organisation, a case's cards, notices, reminders and escalations go to. */
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

  /** A deadline's reminders go to whoever owns the limit; its escalations along the policy's chain. */
  deadlineAudience(c: Case, limit: LimitOwner, alert: PlannedAlert): Promise<Audience> {
    if (alert.type === 'escalation' && alert.escalateTo) return this.escalationAudience(c, limit, alert.escalateTo);
    if (limit.kind === 'verify') return c.level === 'community' ? this.communityAudience(c) : this.streetAudience(c);
    return this.departmentAudience(c, limit.deptCode ?? '');
  }

  /** Whose limit it is, for the text: the department, the community or the street. */
  async limitOwnerName(c: Case, limit: LimitOwner): Promise<string> {
    const org = this.org;
    if (limit.kind === 'verify') return c.level === 'community' ? ((c.communityId && (await org.community(c.communityId))?.name) || '社区') : ((await org.street(c.streetId))?.name ?? '街道');
    if (limit.deptCode === COMMUNITY_DEPT_CODE) return (c.communityId && (await org.community(c.communityId))?.name) || '社区';
    return (limit.deptCode && (await org.department(c.districtId, limit.deptCode))?.name) || departmentName(limit.deptCode ?? '');
  }

  private async audience(label: string, chat: GroupChat | undefined, userIds: readonly string[]): Promise<Audience> {
    const users = await Promise.all(userIds.map((id) => this.org.user(id)));
    const names = users.map((u, i) => u?.name ?? userIds[i] ?? '');
    return { label, ...(chat !== undefined && { chat }), userIds: [...userIds], names };
  }

  private async departmentAudience(c: Case, deptCode: string): Promise<Audience> {
    if (deptCode === COMMUNITY_DEPT_CODE) return this.communityAudience(c);
    const dept = await this.org.department(c.districtId, deptCode);
    return this.audience(dept?.name ?? departmentName(deptCode), dept?.chat, dept?.leadUserIds ?? []);
  }

  private async communityAudience(c: Case): Promise<Audience> {
    if (!c.communityId) return this.streetAudience(c, '街道');
    const [community, staff] = await Promise.all([this.org.community(c.communityId), this.org.communityStaff(c.communityId)]);
    return this.audience(community?.name ?? '社区', community?.chat, staff.map((u) => u._id));
  }

  private async streetAudience(c: Case, label?: string): Promise<Audience> {
    const street = await this.org.street(c.streetId);
    return this.audience(label ?? street?.name ?? '街道', street?.chat, street?.dispatcherUserIds ?? []);
  }

  private async escalationAudience(c: Case, limit: LimitOwner, to: EscalationTarget): Promise<Audience> {
    switch (to) {
      case 'department_lead': {
        const dept = limit.deptCode ? await this.org.department(c.districtId, limit.deptCode) : null;
        // Straight to the leads, not into the group they are already being reminded in.
        return this.audience(`${dept?.name ?? ''}${ESCALATION_TARGET_NAMES[to]}`, undefined, dept?.leadUserIds ?? []);
      }
      case 'street_dispatcher':
      case 'street_leadership':
        // The organisation model has no separate street leadership chat yet; the street's chat serves both.
        return this.streetAudience(c, ESCALATION_TARGET_NAMES[to]);
      case 'district_leadership': {
        const district = await this.org.district(c.districtId);
        return this.audience(ESCALATION_TARGET_NAMES[to], district?.leadershipChat, []);
      }
    }
  }
}
