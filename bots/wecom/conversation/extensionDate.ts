import { CHINA_TIME_ZONE } from '../../../src/chinaTime';
import { localYear, zonedInstant } from '../../../src/sla';

const DAY_MS = 24 * 3600_000;
const LAST_MINUTE_OF_DAY = 23 * 60 + 59;

/**
 * The finish time a department asks for in `申请延期 3天` or `申请延期至12月5日`: days are added to
 * the current deadline (or now, if later); a date means the end of that day in China time.
 */
export function requestedDueAt(text: string, now: Date, currentDue: Date | undefined, defaultDays: number): Date {
  const base = Math.max(now.getTime(), currentDue?.getTime() ?? 0);
  const date = /(?:至|到)\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/.exec(text);
  if (date?.[1] && date[2]) {
    const endOfDay = (year: number) => zonedInstant(`${year}-${date[1]}-${date[2]}`, LAST_MINUTE_OF_DAY, CHINA_TIME_ZONE).getTime() + 59_000;
    let year = localYear(now, CHINA_TIME_ZONE);
    if (endOfDay(year) <= now.getTime()) year += 1;
    return new Date(endOfDay(year));
  }
  const days = /(\d{1,2})\s*(?:个)?\s*(?:工作)?[天日]/.exec(text);
  return new Date(base + (days?.[1] ? Number(days[1]) : defaultDays) * DAY_MS);
}
