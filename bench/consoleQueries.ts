import type { CaseQuery } from '../src/console/caseQuery';
import { localDate } from '../src/sla/timeZone';
import { parseCaseListQuery } from '../web/console/caseListQuery';

/** The command centre's case-list searches both scale benches time, as the district admin types them. */
export function consoleListQueries(now: Date, timeZone: string, streetId: string): { label: string; query: CaseQuery }[] {
  const ninetyDaysAgo = localDate(new Date(now.getTime() - 90 * 24 * 3_600_000), timeZone);
  return [
    'state=open&category=road&sort=due&order=asc',
    'light=red&sort=createdAt',
    `street=${streetId}&community=heping&from=${ninetyDaysAgo}&sort=urgency`,
    'q=%E5%B0%86%E5%86%9B%E5%BA%9C&state=closed&page=3',
    'dept=zhujian&urgency=emergency&sort=number&order=asc',
  ].map((filter) => ({ label: decodeURIComponent(filter), query: parseCaseListQuery(Object.fromEntries(new URLSearchParams(filter)), timeZone) }));
}
