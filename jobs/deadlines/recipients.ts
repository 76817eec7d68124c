import type { GroupChat } from '../../config/district';
import { COMMUNITY_DEPT_CODE, type Case } from '../../src/cases';
import type { EscalationTarget, PlannedAlert } from '../../src/sla';
import type { CommunityDoc, DepartmentDoc, DistrictDoc, StreetDoc, UserDoc } from '../../store/models/org';
import { ESCALATION_LABEL, deptName } from './notice';
import type { DeadlineSlot } from './slots';

/** The part of OrgRepository the engine reads. */
export interface OrgDirectory {
  user(userId: string): Promise<UserDoc | null>;
  district(districtId: string): Promise<DistrictDoc | null>;
  street(streetId: string): Promise<StreetDoc | null>;
  community(communityId: string): Promise<CommunityDoc | null>;
  department(districtId: string, code: string): Promise<DepartmentDoc | null>;
  communityStaff(communityId: string): Promise<UserDoc[]>;
}

/** Where a notice goes: a group chat (people @-mentioned there), or straight to people. */
export interface Audience {
  label: string;
  chat?: GroupChat;
  userIds: string[];
  names: string[];
}

async function namesOf(org: OrgDirectory, userIds: readonly string[]): Promise<string[]> {
  const users = await Promise.all(userIds.map((id) => org.user(id)));
  return users.map((u, i) => u?.name ?? userIds[i] ?? '');
}

async function audience(org: OrgDirectory, label: string, chat: GroupChat | undefined, userIds: readonly string[]): Promise<Audience> {
  return { label, ...(chat !== undefined && { chat }), userIds: [...userIds], names: await namesOf(org, userIds) };
}

async function departmentAudience(org: OrgDirectory, c: Case, deptCode: string): Promise<Audience> {
  if (deptCode === COMMUNITY_DEPT_CODE) return communityAudience(org, c);
  const dept = await org.department(c.districtId, deptCode);
  return audience(org, dept?.name ?? deptName(deptCode), dept?.chat, dept?.leadUserIds ?? []);
}

async function communityAudience(org: OrgDirectory, c: Case): Promise<Audience> {
  if (!c.communityId) return streetAudience(org, c, '街道');
  const [community, staff] = await Promise.all([org.community(c.communityId), org.communityStaff(c.communityId)]);
  return audience(org, community?.name ?? '社区', community?.chat, staff.map((u) => u._id));
}

async function streetAudience(org: OrgDirectory, c: Case, label?: string): Promise<Audience> {
  const street = await org.street(c.streetId);
  return audience(org, label ?? street?.name ?? '街道', street?.chat, street?.dispatcherUserIds ?? []);
}

async function escalationAudience(org: OrgDirectory, c: Case, slot: DeadlineSlot, to: EscalationTarget): Promise<Audience> {
  switch (to) {
    case 'department_lead': {
      const dept = slot.deptCode ? await org.department(c.districtId, slot.deptCode) : null;
      // Straight to the leads, not into the group they are already being reminded in.
      return audience(org, `${dept?.name ?? ''}${ESCALATION_LABEL[to]}`, undefined, dept?.leadUserIds ?? []);
    }
    case 'street_dispatcher':
    case 'street_leadership':
      // The organisation model has no separate street leadership chat yet; the street's chat serves both.
      return streetAudience(org, c, ESCALATION_LABEL[to]);
    case 'district_leadership': {
      const district = await org.district(c.districtId);
      return audience(org, ESCALATION_LABEL[to], district?.leadershipChat, []);
    }
  }
}

/** Reminders go to whoever owns the limit; escalations along the policy's chain. */
export async function audienceFor(org: OrgDirectory, c: Case, slot: DeadlineSlot, alert: PlannedAlert): Promise<Audience> {
  if (alert.type === 'escalation' && alert.escalateTo) return escalationAudience(org, c, slot, alert.escalateTo);
  if (slot.kind === 'verify') return c.level === 'community' ? communityAudience(org, c) : streetAudience(org, c);
  return departmentAudience(org, c, slot.deptCode ?? '');
}

/** Whose limit it is, for the text: the department, the community or the street. */
export async function ownerName(org: OrgDirectory, c: Case, slot: DeadlineSlot): Promise<string> {
  if (slot.kind === 'verify') return c.level === 'community' ? ((c.communityId && (await org.community(c.communityId))?.name) || '社区') : ((await org.street(c.streetId))?.name ?? '街道');
  if (slot.deptCode === COMMUNITY_DEPT_CODE) return (c.communityId && (await org.community(c.communityId))?.name) || '社区';
  return (slot.deptCode && (await org.department(c.districtId, slot.deptCode))?.name) || deptName(slot.deptCode ?? '');
}
