import { duplicateFacts, type Case, type CaseDraft, type CommandContext, type DuplicateRule, type TimelineEvent } from '../src/cases';
import type { CaseRepository } from '../store/caseRepository';
import type { CaseStore } from './deps';

/**
 * The lifecycle's view of the case repository. Case numbers are unique per district, so a number
 * given without a district is looked up in the deployment's district.
 */
export function caseStoreFrom(repository: CaseRepository, defaultDistrictId: string): CaseStore {
  return {
    create: (draft: CaseDraft, ctx: CommandContext, key?: string) => repository.create(draft, ctx, key),
    findById: async (id: string) => (await repository.get(id)) ?? null,
    findByNumber: async (number: string, districtId?: string) => (await repository.getByNumber(districtId ?? defaultDistrictId, number)) ?? null,
    saveTransition: async (before: Case, after: Case, events: TimelineEvent[]) => (await repository.applyTransition(before.id, before.version, after, events, before)).ok,
    findOpenDuplicates: (c: Case, rule: DuplicateRule) => repository.findOpenDuplicates({ ...duplicateFacts(c), districtId: c.districtId, excludeId: c.id }, rule),
    reportedBy: (reporterId: string, limit: number) => repository.listByReporter(reporterId, limit),
  };
}
