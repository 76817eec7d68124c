import { ASSIGNMENT_STATE_NAMES, CASE_STATE_NAMES, SATISFACTION_NAMES } from '../../src/labels';
import { activeAssignments, type Assignment, type Case, type TimelineEvent } from '../../src/cases';
import { maskPhone, maskSensitive } from '../../src/parser';
import { category as categoryInfo, isCategoryCode, urgencyName } from '../../src/taxonomy';
import type { HotlineOrderRecord, HotlineOutcome } from '../../store/hotlineOrderRepository';
import { departmentLabel, type HotlineDistrict } from './district';

/**
 * What leaves the hotline API. Staff names, user ids, phone numbers (masked), return reasons and
 * internal notes never do: departments appear by name, steps as fixed sentences with their time.
 */

/** The case the work happens on: the open case a merged one went into, else the case itself. */
export interface CaseOfOrder {
  case: Case;
  mergedInto?: Case;
}

function iso(at: Date | undefined): string | null {
  return at ? at.toISOString() : null;
}

function outcomeOf(order: HotlineOrderRecord, c: Case): HotlineOutcome {
  if (order.outcome) return order.outcome;
  // The request that created the case stopped before recording how it was handled: say what it is now.
  if (c.state === 'merged' || c.state === 'triage' || c.state === 'community') return c.state;
  return 'whistled';
}

function departmentsOf(district: HotlineDistrict, c: Case, assignments: Assignment[]) {
  return assignments.map((a) => ({ code: a.deptCode, name: departmentLabel(district, a.deptCode, c.communityId), role: a.role }));
}

/** The answer to POST /api/hotline/orders, first time (201) and on a repeat (200): the same fields. */
export function presentReceipt(district: HotlineDistrict, order: HotlineOrderRecord, found: CaseOfOrder) {
  const working = found.mergedInto ?? found.case;
  return {
    orderNo: order.orderNo,
    caseId: found.case.id,
    number: found.case.number,
    outcome: outcomeOf(order, found.case),
    departments: departmentsOf(district, working, activeAssignments(working)),
    mergedInto: found.mergedInto ? { caseId: found.mergedInto.id, number: found.mergedInto.number } : null,
  };
}

function eventDepartments(district: HotlineDistrict, c: Case, event: TimelineEvent): string[] {
  const listed = typeof event.details.departments === 'string' ? event.details.departments.split(',').filter(Boolean) : [];
  const codes = listed.length > 0 ? listed : event.deptCode ? [event.deptCode] : [];
  return codes.map((code) => departmentLabel(district, code, c.communityId));
}

function title(event: TimelineEvent, joined: string): string | undefined {
  switch (event.type) {
    case 'created': return '街道已接收工单，生成案件';
    case 'whistled': return `街道吹哨，派${joined}办理`;
    case 'accepted': return `${joined}已接哨报到`;
    case 'returned': return `${joined}退回，街道重新分派`;
    case 'feedback': return event.details.role === 'lead' ? `${joined}已办理完毕，待核实` : `${joined}已反馈协办情况`;
    case 'verified': return event.details.resolution === 'solved' ? '经核实问题已解决，案件办结' : '经核实暂时无法解决，案件办结';
    case 'reopened': return `经核实问题尚未解决，${joined}重新办理`;
    case 'extension_requested': return `${joined}申请延期`;
    case 'extension_decided': return event.details.approved === true ? `${joined}的延期申请已批准` : `${joined}的延期申请未批准`;
    case 'escalated_to_street': return '社区提请街道协调办理';
    case 'merged': return '与同一问题的已有案件合并办理';
    case 'duplicate_merged_in': return '同一问题的其他反映已并入本案';
    case 'cancelled': return '案件已撤销';
    case 'rated': return '已完成满意度评价';
    case 'whistle_rated':
    case 'department_rated':
    case 'deadline_reminder':
    case 'deadline_escalation':
      return undefined;
  }
}

function timelineOf(district: HotlineDistrict, c: Case) {
  return c.timeline.flatMap((event) => {
    const departments = eventDepartments(district, c, event);
    const text = title(event, departments.join('、'));
    return text === undefined ? [] : [{ type: event.type, at: event.at.toISOString(), title: text, departments }];
  });
}

function resultOf(district: HotlineDistrict, c: Case) {
  const lead = [...c.assignments].reverse().find((a) => a.role === 'lead' && a.doneAt !== undefined && a.resultText !== undefined);
  if (!lead?.doneAt || lead.resultText === undefined) return null;
  return { at: lead.doneAt.toISOString(), department: departmentLabel(district, lead.deptCode, c.communityId), text: maskSensitive(lead.resultText) };
}

/** GET /api/hotline/orders/:orderNo — the state of the order's case, for the hotline to sync back. */
export function presentStatus(district: HotlineDistrict, order: HotlineOrderRecord, found: CaseOfOrder) {
  const c = found.case;
  const working = found.mergedInto ?? c;
  const code = c.parsed.category;
  return {
    ...presentReceipt(district, order, found),
    mergedInto: found.mergedInto
      ? { caseId: found.mergedInto.id, number: found.mergedInto.number, state: found.mergedInto.state, stateName: CASE_STATE_NAMES.public[found.mergedInto.state] }
      : null,
    state: c.state,
    stateName: CASE_STATE_NAMES.public[c.state],
    category: code !== undefined && isCategoryCode(code) ? { code, name: categoryInfo(code).name } : null,
    urgency: { code: c.parsed.urgency, name: urgencyName(c.parsed.urgency) },
    address: c.parsed.locationText ?? null,
    callerPhone: order.callerPhone ? maskPhone(order.callerPhone) : null,
    assignments: working.assignments.map((a) => ({
      department: { code: a.deptCode, name: departmentLabel(district, a.deptCode, working.communityId) },
      role: a.role,
      state: a.state,
      stateName: ASSIGNMENT_STATE_NAMES.public[a.state],
      whistledAt: iso(a.whistledAt),
      acceptedAt: iso(a.acceptedAt),
      doneAt: iso(a.doneAt),
      finishDueAt: iso(a.finishDueAt),
    })),
    result: resultOf(district, working),
    verification: working.verification ? { resolution: working.verification.resolution, at: working.verification.at.toISOString() } : null,
    satisfaction: c.satisfaction ? { value: c.satisfaction.value, name: SATISFACTION_NAMES[c.satisfaction.value], at: c.satisfaction.at.toISOString() } : null,
    receivedAt: iso(order.receivedAt),
    dueAt: iso(order.dueAt),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    closedAt: iso(working.closedAt),
    timeline: timelineOf(district, c),
  };
}
