import { CASE_STATE_NAMES, SATISFACTION_NAMES } from '../../src/labels';
import type { Case } from '../../src/cases';
import type { ProgressStep } from '../../src/cases/milestones';
import { maskSensitive } from '../../src/parser';

/** The hotline's order a progress step is about. */
export interface OrderRef {
  orderNo: string;
  platform: string;
  /** The order's own case: differs from the case the step happened on when it was merged into that one. */
  caseId: string;
}

/**
 * The body of one push (docs/hotline-api.md, "Progress pushes"). Departments appear by name, the
 * result text with phone numbers and plates masked; staff names, user ids and return reasons never.
 */
export function progressPayload(order: OrderRef, on: Case, step: ProgressStep, eventId: string, departmentName: string | null) {
  return {
    eventId,
    milestone: step.milestone,
    occurredAt: step.at.toISOString(),
    platform: order.platform,
    orderNo: order.orderNo,
    caseId: order.caseId,
    number: on.number,
    mergedInto: order.caseId === on.id ? null : { caseId: on.id, number: on.number },
    // The case's version after this change: pushes of one order can arrive out of order after retries; a higher sequence is newer.
    sequence: on.version,
    state: on.state,
    stateName: CASE_STATE_NAMES.public[on.state],
    department: step.deptCode === undefined ? null : { code: step.deptCode, name: departmentName ?? step.deptCode },
    result: step.milestone === 'done' && step.text !== undefined ? maskSensitive(step.text) : null,
    resolution: step.resolution ?? null,
    satisfaction: step.satisfaction === undefined ? null : { value: step.satisfaction, name: SATISFACTION_NAMES[step.satisfaction] },
  };
}
