import { departmentStats, emptyFigures, addFigures, type DepartmentStats, type StatsPeriod } from '../stats/departmentStats';
import type { CaseSummary } from './summary';

/**
 * 三率 weights (response, resolution, satisfaction), the weight of the street's rating of the
 * department (街道评价满意率; 0 leaves the common 30/35/35), and how many whistles a department needs to be ranked.
 */
export interface AssessmentRule {
  weights: { response: number; resolution: number; satisfaction: number; street: number };
  minCases: number;
}

export const DEFAULT_ASSESSMENT: AssessmentRule = { weights: { response: 30, resolution: 35, satisfaction: 35, street: 0 }, minCases: 5 };

export interface DepartmentAssessment extends DepartmentStats {
  reopens: number;
  /** Weighted score 0..100; null while the department has too few cases or no rate yet. */
  score: number | null;
  rank: number | null;
}

/**
 * Per-department figures of the assignments whistled in the period, from the case summaries — the
 * same sums, by the same `departmentStats`, as the stats API's store aggregation.
 */
export function departmentFigures(cases: Iterable<CaseSummary>, period: StatsPeriod): { stats: DepartmentStats[]; reopens: Map<string, number> } {
  const sums = new Map<string, ReturnType<typeof emptyFigures>>();
  const reopens = new Map<string, number>();
  const from = period.from.getTime();
  const to = period.to.getTime();
  for (const c of cases) {
    if (period.streetId !== undefined && c.streetId !== period.streetId) continue;
    for (const a of c.assignments) {
      const at = a.whistledAt.getTime();
      if (at < from || at >= to) continue;
      sums.set(a.deptCode, addFigures(sums.get(a.deptCode) ?? emptyFigures(), a.figures));
      reopens.set(a.deptCode, (reopens.get(a.deptCode) ?? 0) + a.reopenCount);
    }
  }
  const stats = [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([code, s]) => departmentStats(code, s));
  return { stats, reopens };
}

/** The weighted score of the rates a department has; a rate it has no cases for does not count. */
export function weightedScore(s: DepartmentStats, rule: AssessmentRule): number | null {
  const parts: [number | null, number][] = [
    [s.responseRate, rule.weights.response],
    [s.resolutionRate, rule.weights.resolution],
    [s.satisfactionRate, rule.weights.satisfaction],
    [s.streetSatisfactionRate, rule.weights.street],
  ];
  const counted = parts.filter((p): p is [number, number] => p[0] !== null && p[1] > 0);
  const weight = counted.reduce((sum, [, w]) => sum + w, 0);
  if (weight === 0) return null;
  return Math.round((counted.reduce((sum, [rate, w]) => sum + rate * w, 0) / weight) * 1000) / 10;
}

/** Departments with their score and rank (1 = best); those under `minCases` whistles are listed unranked. */
export function assess(stats: readonly DepartmentStats[], reopens: ReadonlyMap<string, number>, rule: AssessmentRule): DepartmentAssessment[] {
  const rows = stats.map((s) => {
    const score = s.whistlesReceived >= rule.minCases ? weightedScore(s, rule) : null;
    return { ...s, reopens: reopens.get(s.deptCode) ?? 0, score, rank: null as number | null };
  });
  const ranked = rows.filter((r) => r.score !== null).sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.deptCode.localeCompare(b.deptCode));
  ranked.forEach((r, i) => {
    const previous = ranked[i - 1];
    r.rank = previous && previous.score === r.score ? previous.rank : i + 1;
  });
  return [...ranked, ...rows.filter((r) => r.score === null)];
}
