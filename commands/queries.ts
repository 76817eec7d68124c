import { parseCaseNumber, type Case } from '../src/cases';
import type { LifecycleDeps } from './deps';

/** The case a number like `2026-000123` names (optionally within one district), or null. */
export async function caseByNumber(deps: Pick<LifecycleDeps, 'cases'>, number: string, districtId?: string): Promise<Case | null> {
  if (!parseCaseNumber(number)) return null;
  return deps.cases.findByNumber(number.trim(), districtId);
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
