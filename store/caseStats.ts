import type { Model } from 'mongoose';
import { departmentStats, emptyFigures, type DepartmentStats, type StatsPeriod } from '../src/stats/departmentStats';
import { FIGURE_KEYS, type AssignmentFigures } from '../src/stats/figures';
import type { CaseDoc } from './models/case';

export interface StoredStatsPeriod extends StatsPeriod {
  districtId?: string;
}

/**
 * Per-department figures for assignments whistled in the period, from the figures each stored
 * assignment carries: `$unwind` + `$group`/`$sum` only. One `$group` per figure, because FerretDB v1
 * returns 0 for every accumulator after the first in a `$group`.
 */
export async function aggregateDepartmentStats(cases: Model<CaseDoc>, period: StoredStatsPeriod): Promise<DepartmentStats[]> {
  const match = {
    ...(period.districtId !== undefined && { districtId: period.districtId }),
    ...(period.streetId !== undefined && { streetId: period.streetId }),
  };
  const sumsByDept = new Map<string, AssignmentFigures>();
  await Promise.all(
    FIGURE_KEYS.map(async (key) => {
      const rows = await cases
        .aggregate<{ _id: string; total: number }>([
          { $match: match },
          { $unwind: '$assignments' },
          { $match: { 'assignments.whistledAt': { $gte: period.from, $lt: period.to } } },
          { $group: { _id: '$assignments.deptCode', total: { $sum: `$assignments.figures.${key}` } } },
        ])
        .exec();
      for (const row of rows) {
        const sums = sumsByDept.get(row._id) ?? emptyFigures();
        sums[key] = row.total;
        sumsByDept.set(row._id, sums);
      }
    }),
  );
  return [...sumsByDept].sort(([a], [b]) => a.localeCompare(b)).map(([deptCode, sums]) => departmentStats(deptCode, sums));
}
