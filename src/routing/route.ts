import type { CaseSource } from '../cases/types';
import { category, isCategoryCode, isDepartmentCode, type Urgency } from '../taxonomy';
import type { RoutingTable } from './table';

export interface RoutingInput {
  streetId: string;
  source: CaseSource;
  category?: string;
  urgency: Urgency;
  confidence: number;
  /** Departments the parser says are also needed. */
  extraDepartments?: string[];
}

export type RoutingDecision =
  /** Whistle straight away; `departments` lead first. */
  | { kind: 'whistle'; departments: string[] }
  /** The street dispatcher decides; `suggested` (lead first) pre-fills the choice. */
  | { kind: 'triage'; reason: TriageReason; suggested: string[] }
  /** The community handles it first (resident reports, per config). */
  | { kind: 'community'; suggested: string[] };

export type TriageReason = 'unknown_category' | 'low_confidence' | 'dispatcher_decides';

/** Lead first, then assisting ones, each once, only known department codes. */
export function departmentsFor(input: RoutingInput, table: RoutingTable): string[] {
  if (input.category === undefined || !isCategoryCode(input.category)) return [];
  const streetRule = table.streetOverrides[input.streetId]?.[input.category];
  const lead = streetRule?.lead ?? category(input.category).lead;
  const assisting = [...(streetRule?.assisting ?? table.categoryAssisting[input.category] ?? []), ...(input.extraDepartments ?? [])];
  return [...new Set([lead, ...assisting])].filter(isDepartmentCode);
}

function handledByCommunity(input: RoutingInput, table: RoutingTable): boolean {
  const rule = table.community;
  return (
    input.category !== undefined &&
    rule.sources.includes(input.source) &&
    rule.categories.includes(input.category) &&
    rule.urgencies.includes(input.urgency)
  );
}

/** The departments a decision names, lead first: whom it whistles, or whom it suggests to the community or the dispatcher. */
export function decidedDepartments(decision: RoutingDecision): string[] {
  return decision.kind === 'whistle' ? decision.departments : decision.suggested;
}

export function route(input: RoutingInput, table: RoutingTable): RoutingDecision {
  const departments = departmentsFor(input, table);
  if (handledByCommunity(input, table)) return { kind: 'community', suggested: departments };
  if (departments.length === 0) return { kind: 'triage', reason: 'unknown_category', suggested: [] };
  if (input.category !== undefined && table.alwaysTriageCategories.includes(input.category)) {
    return { kind: 'triage', reason: 'dispatcher_decides', suggested: departments };
  }
  if (input.confidence < table.confidenceThreshold) return { kind: 'triage', reason: 'low_confidence', suggested: departments };
  return { kind: 'whistle', departments };
}
