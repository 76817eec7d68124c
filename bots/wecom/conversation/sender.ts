import { actorOf } from '../../../commands/actors';
import type { Actor, ActorRole } from '../../../src/cases';
import type { UserDoc } from '../../../store/models/org';

/** Grid members and community workers report from their grid or community. */
export function canReport(user: UserDoc): boolean {
  return user.streetId !== undefined && user.roles.some((r) => r === 'grid_member' || r === 'community_worker');
}

const DEPARTMENT_ROLES: readonly ActorRole[] = ['dept_lead', 'dept_member'];

/** The department role a user acts in when feeding back on a case, if any. */
export function departmentActor(user: UserDoc): Actor | undefined {
  return user.deptCode === undefined ? undefined : actorOf(user, DEPARTMENT_ROLES);
}
