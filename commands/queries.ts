import { caseReadAccess, parseCaseNumber, type Case, type CaseReadAccess, type CaseReader } from '../src/cases';
import type { LifecycleDeps } from './deps';

/** The case a number like `2026-000123` names (optionally within one district), or null. */
export async function caseByNumber(deps: Pick<LifecycleDeps, 'cases'>, number: string, districtId?: string): Promise<Case | null> {
  if (!parseCaseNumber(number)) return null;
  return deps.cases.findByNumber(number.trim(), districtId);
}

/** A case as one reader may see it: missing, not theirs to read, or with what they may see of it. */
export type CaseReading = { kind: 'not_found' } | { kind: 'refused' } | { kind: 'allowed'; case: Case; access: Extract<CaseReadAccess, { allowed: true }> };

/** The case a number names, if this reader may read it (see `caseReadAccess`). */
export async function readCaseByNumber(deps: Pick<LifecycleDeps, 'cases'>, number: string, reader: CaseReader): Promise<CaseReading> {
  const found = await caseByNumber(deps, number, reader.districtId);
  if (!found) return { kind: 'not_found' };
  const access = caseReadAccess(reader, found);
  return access.allowed ? { kind: 'allowed', case: found, access } : { kind: 'refused' };
}

/** A reporter's latest cases, newest first ("我的上报"). */
export function casesReportedBy(deps: Pick<LifecycleDeps, 'cases'>, reporterId: string, limit = 10): Promise<Case[]> {
  return deps.cases.reportedBy(reporterId, Math.max(1, Math.min(limit, 50)));
}

export async function loadCase(deps: Pick<LifecycleDeps, 'cases'>, ref: { id?: string; number?: string }, districtId?: string): Promise<Case | null> {
  if (ref.id !== undefined) return deps.cases.findById(ref.id);
  if (ref.number !== undefined) return caseByNumber(deps, ref.number, districtId);
  return null;
}
