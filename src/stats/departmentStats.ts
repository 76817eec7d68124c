import { FIGURE_KEYS, type AssignmentFact, type AssignmentFigures } from './figures';

export interface DepartmentStats {
  deptCode: string;
  whistlesReceived: number;
  accepted: number;
  acceptedOnTime: number;
  /** 响应率: accepted on time / whistles received. */
  responseRate: number | null;
  returns: number;
  done: number;
  doneOnTime: number;
  /** 按时办结率: done on time / done. */
  onTimeCompletionRate: number | null;
  closed: number;
  solved: number;
  /** 解决率: verified solved / closed. */
  resolutionRate: number | null;
  rated: number;
  /** 满意率: (满意 + 基本满意) / rated. */
  satisfactionRate: number | null;
  meanTimeToAcceptMs: number | null;
  meanTimeToFinishMs: number | null;
  whistleRated: number;
  /** Share of this department's whistle ratings that said the whistle was reasonable. */
  whistleReasonableRate: number | null;
  /** How many of its cases the street rated (街道评价部门). */
  streetRated: number;
  /** 街道评价满意率: (满意 + 基本满意) / street ratings. */
  streetSatisfactionRate: number | null;
}

export function emptyFigures(): AssignmentFigures {
  return Object.fromEntries(FIGURE_KEYS.map((k) => [k, 0])) as unknown as AssignmentFigures;
}

export function addFigures(a: AssignmentFigures, b: AssignmentFigures): AssignmentFigures {
  const sum = emptyFigures();
  for (const key of FIGURE_KEYS) sum[key] = a[key] + b[key];
  return sum;
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Rates and means from summed figures (what the store's `$group` returns, or `sumByDepartment`). */
export function departmentStats(deptCode: string, sums: AssignmentFigures): DepartmentStats {
  return {
    deptCode,
    whistlesReceived: sums.received,
    accepted: sums.accepted,
    acceptedOnTime: sums.acceptedOnTime,
    responseRate: ratio(sums.acceptedOnTime, sums.received),
    returns: sums.returned,
    done: sums.done,
    doneOnTime: sums.doneOnTime,
    onTimeCompletionRate: ratio(sums.doneOnTime, sums.done),
    closed: sums.closed,
    solved: sums.solved,
    resolutionRate: ratio(sums.solved, sums.closed),
    rated: sums.rated,
    satisfactionRate: ratio(sums.satisfied, sums.rated),
    meanTimeToAcceptMs: ratio(sums.acceptMs, sums.accepted),
    meanTimeToFinishMs: ratio(sums.finishMs, sums.done),
    whistleRated: sums.whistleRated,
    whistleReasonableRate: ratio(sums.whistleReasonable, sums.whistleRated),
    streetRated: sums.streetRated,
    streetSatisfactionRate: ratio(sums.streetSatisfied, sums.streetRated),
  };
}

export interface StatsPeriod {
  /** Whistled at or after `from` and before `to`. */
  from: Date;
  to: Date;
  streetId?: string;
}

export function sumByDepartment(facts: readonly AssignmentFact[], period: StatsPeriod): Map<string, AssignmentFigures> {
  const sums = new Map<string, AssignmentFigures>();
  for (const fact of facts) {
    const at = fact.whistledAt.getTime();
    if (at < period.from.getTime() || at >= period.to.getTime()) continue;
    if (period.streetId !== undefined && fact.streetId !== period.streetId) continue;
    sums.set(fact.deptCode, addFigures(sums.get(fact.deptCode) ?? emptyFigures(), fact.figures));
  }
  return sums;
}

/** Per-department figures for a period (and street), ordered by department code. */
export function statsByDepartment(facts: readonly AssignmentFact[], period: StatsPeriod): DepartmentStats[] {
  return [...sumByDepartment(facts, period)]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([deptCode, sums]) => departmentStats(deptCode, sums));
}
