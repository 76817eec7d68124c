import { departmentName } from '../../src/labels';
import type { DepartmentStats, StatsPeriod } from '../../src/stats';

const MINUTE_MS = 60_000;

function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** One department's figures as the API shows them: rates 0..1 (4 decimals), times in minutes. */
export function presentDepartment(s: DepartmentStats) {
  return {
    deptCode: s.deptCode,
    deptName: departmentName(s.deptCode),
    whistlesReceived: s.whistlesReceived,
    accepted: s.accepted,
    acceptedOnTime: s.acceptedOnTime,
    responseRate: round(s.responseRate, 4),
    returns: s.returns,
    done: s.done,
    doneOnTime: s.doneOnTime,
    onTimeCompletionRate: round(s.onTimeCompletionRate, 4),
    closed: s.closed,
    solved: s.solved,
    resolutionRate: round(s.resolutionRate, 4),
    rated: s.rated,
    satisfactionRate: round(s.satisfactionRate, 4),
    meanMinutesToAccept: round(s.meanTimeToAcceptMs === null ? null : s.meanTimeToAcceptMs / MINUTE_MS, 1),
    meanMinutesToFinish: round(s.meanTimeToFinishMs === null ? null : s.meanTimeToFinishMs / MINUTE_MS, 1),
    whistleRated: s.whistleRated,
    whistleReasonableRate: round(s.whistleReasonableRate, 4),
    streetRated: s.streetRated,
    streetSatisfactionRate: round(s.streetSatisfactionRate, 4),
  };
}

export function presentStats(period: StatsPeriod, rows: readonly DepartmentStats[]) {
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString(), street: period.streetId ?? null },
    departments: rows.map(presentDepartment),
  };
}
