import type { Case } from '../../src/cases';
import type { ResidentCaseDoc } from '../../store/models/residentCase';
import type { ViewContext } from './caseViews';
import { nameBookFor } from './district';
import { mpError } from './errors';
import type { MpServices } from './services';

export interface OwnCase {
  case: Case;
  link: ResidentCaseDoc;
}

/**
 * A case of this resident, or 404 whether the case does not exist or belongs to someone else:
 * a 403 would tell a prober which ids exist.
 */
export async function ownCase(services: MpServices, residentId: string, caseId: string): Promise<OwnCase> {
  const link = /^[A-Za-z0-9_-]{1,64}$/.test(caseId) ? await services.residentCases.findOne({ _id: caseId, residentId }).lean<ResidentCaseDoc>().exec() : null;
  const found = link ? await services.cases.findById(caseId) : null;
  if (!link || !found) throw mpError('case_not_found');
  return { case: found, link };
}

export async function viewContextFor(services: MpServices, origin: string, c: Case): Promise<ViewContext> {
  return {
    names: await nameBookFor(services.org, services.district, c.communityId),
    photoUrl: (key) => services.signer.sign(key, origin),
  };
}
