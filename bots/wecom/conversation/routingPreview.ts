import { route, type RoutingDecision, type RoutingTable } from '../../../src/routing';
import type { DraftSummary } from './summarise';

/** Where the case will go once confirmed, with the same rules the lifecycle applies. */
export function previewRouting(summary: DraftSummary, streetId: string, table: RoutingTable): RoutingDecision {
  return route(
    { streetId, source: 'grid', category: summary.category, urgency: summary.urgency, confidence: summary.confidence, extraDepartments: summary.departments },
    table,
  );
}

export function previewNote(decision: RoutingDecision): string {
  switch (decision.kind) {
    case 'whistle': return '确认后立即吹哨派单';
    case 'community': return '确认后由社区先行处理';
    case 'triage': return decision.reason === 'dispatcher_decides' ? '确认后由街道调度员派单' : '类别不够明确，确认后由街道调度员分拣';
  }
}
