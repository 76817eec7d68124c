import type { Role } from '../../config/district';
import type { Case } from './types';

/** Who asks to read a case: a member of the district's organisation. */
export interface CaseReader {
  userId: string;
  districtId: string;
  roles: readonly Role[];
  deptCode?: string;
  streetId?: string;
  communityId?: string;
}

/**
 * What a reader may see of a case. `reporter`: whether the reporter's identity (and, where shown,
 * contact) may be shown; `unmasked`: whether phones and plates in the text are shown as written.
 */
export type CaseReadAccess =
  | { allowed: true; as: 'reporter' | 'district' | 'street' | 'community' | 'department'; reporter: boolean; unmasked: boolean }
  | { allowed: false };

const has = (reader: CaseReader, ...roles: Role[]) => reader.roles.some((r) => roles.includes(r));

/**
 * Who may read a case (README, "Who may see and do what"): its reporter; admins and district
 * leaders; the dispatchers and leaders of its street; the grid members and workers of its community;
 * the departments ever whistled on it. Nobody else, whatever number they type. Departments see the
 * reporter only once the street released them (反映人信息 is the street's, per the hotline rules);
 * phones and plates in the text stay masked for everyone but the reporter.
 */
export function caseReadAccess(reader: CaseReader, c: Case): CaseReadAccess {
  if (reader.districtId !== c.districtId) return { allowed: false };
  if (reader.userId === c.reporter.userId) return { allowed: true, as: 'reporter', reporter: true, unmasked: true };
  const grant = (as: 'district' | 'street' | 'community' | 'department', reporter: boolean): CaseReadAccess => ({ allowed: true, as, reporter, unmasked: false });
  if (has(reader, 'admin', 'district_leader')) return grant('district', true);
  if (has(reader, 'dispatcher', 'street_leader') && reader.streetId === c.streetId) return grant('street', true);
  if (has(reader, 'grid_member', 'community_worker') && reader.communityId !== undefined && reader.communityId === c.communityId) return grant('community', true);
  if (has(reader, 'dept_lead', 'dept_member') && reader.deptCode !== undefined && c.assignments.some((a) => a.deptCode === reader.deptCode)) {
    return grant('department', c.reporterRelease !== undefined);
  }
  return { allowed: false };
}
