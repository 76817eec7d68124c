import type { Actor } from '../../../src/cases';
import type { UserDoc } from '../../../store/models/org';

/** Grid members and community workers report from their grid or community. */
export function canReport(user: UserDoc): boolean {
  return user.streetId !== undefined && user.roles.some((r) => r === 'grid_member' || r === 'community_worker');
}

/** The department role a user acts in when feeding back on a case, if any. */
export function departmentActor(user: UserDoc): Actor | undefined {
  if (user.deptCode === undefined) return undefined;
  const role = user.roles.includes('dept_lead') ? 'dept_lead' : user.roles.includes('dept_member') ? 'dept_member' : undefined;
  return role === undefined ? undefined : { userId: user._id, name: user.name, role, deptCode: user.deptCode };
}
