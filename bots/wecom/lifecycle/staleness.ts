import { assignmentIndexFor } from '../../../src/cases/assignments';
import type { Case, TimelineEventType } from '../../../src/cases';
import type { CardKind, CardRecord } from './cardKinds';

/** Events after which a card of this kind no longer asks a live question. */
const SUPERSEDED_BY: Partial<Record<CardKind, { events: readonly TimelineEventType[]; message: string }>> = {
  triage: { events: ['whistled', 'merged', 'cancelled'], message: '案件已派单或已结束，此卡片已失效' },
  community: { events: ['accepted', 'escalated_to_street', 'merged', 'cancelled'], message: '案件已在处理，此卡片已失效' },
  verify: { events: ['reopened', 'verified'], message: '案件已核实，此卡片已失效' },
  unsolved_reason: { events: ['reopened', 'verified'], message: '案件已核实，此卡片已失效' },
  extension: { events: ['extension_decided'], message: '该延期申请已审批' },
};

/** Why a tapped card is out of date (the case moved on, or a newer card replaced it), if it is. */
export function staleReason(card: CardRecord, c: Case): string | undefined {
  if (card.deptCode !== undefined && card.assignmentIndex !== undefined && assignmentIndexFor(c, card.deptCode) !== card.assignmentIndex) {
    return '派单已更新，此卡片已失效';
  }
  const rule = SUPERSEDED_BY[card.kind];
  if (!rule) return undefined;
  const later = c.timeline.slice(card.timelineLength);
  const superseding = later.some((e) => rule.events.includes(e.type) && (card.deptCode === undefined || e.deptCode === undefined || e.deptCode === card.deptCode));
  return superseding ? rule.message : undefined;
}
