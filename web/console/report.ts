import { zonedInstant } from '../../src/sla/timeZone';
import type { StatsPeriod } from '../../src/stats';
import type { DepartmentAssessment } from '../../src/console/rankings';
import { presentDepartment } from '../stats/presenter';
import { ValidationError } from '../errors';

/** One department in the monthly report: the stats API's fields, plus reopens, score and rank. */
export type ReportRow = ReturnType<typeof presentDepartment> & { reopens: number; score: number | null; rank: number | null };

export function reportRow(a: DepartmentAssessment): ReportRow {
  return { ...presentDepartment(a), reopens: a.reopens, score: a.score, rank: a.rank };
}

const MONTH = /^(\d{4})-(\d{2})$/;

/** `2026-11` → all of November in the district's time zone (the stats API's from=2026-11-01&to=2026-11-30). */
export function monthPeriod(month: string, timeZone: string, streetId?: string): StatsPeriod & { month: string } {
  const match = MONTH.exec(month);
  const m = match ? Number(match[2]) : 0;
  if (!match || m < 1 || m > 12) throw new ValidationError('参数 month 应为 2026-11 这样的年月', { month });
  const first = `${match[1]}-${match[2]}-01`;
  const next = m === 12 ? `${Number(match[1]) + 1}-01-01` : `${match[1]}-${String(m + 1).padStart(2, '0')}-01`;
  return { month, from: zonedInstant(first, 0, timeZone), to: zonedInstant(next, 0, timeZone), ...(streetId !== undefined && { streetId }) };
}

/** The months before `month`, oldest first, `month` last. */
export function monthsEnding(month: string, count: number): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const index = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}
