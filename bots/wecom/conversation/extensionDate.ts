const DAY_MS = 24 * 3600_000;
const CHINA_OFFSET_MS = 8 * 3600_000;

/**
 * The finish time a department asks for in `申请延期 3天` or `申请延期至12月5日`: days are added to
 * the current deadline (or now, if later); a date means the end of that day in China time.
 */
export function requestedDueAt(text: string, now: Date, currentDue: Date | undefined, defaultDays: number): Date {
  const base = Math.max(now.getTime(), currentDue?.getTime() ?? 0);
  const date = /(?:至|到)\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/.exec(text);
  if (date?.[1] && date[2]) {
    const china = new Date(now.getTime() + CHINA_OFFSET_MS);
    let year = china.getUTCFullYear();
    const endOfDay = (y: number) => Date.UTC(y, Number(date[1]) - 1, Number(date[2]), 23, 59, 59) - CHINA_OFFSET_MS;
    if (endOfDay(year) <= now.getTime()) year += 1;
    return new Date(endOfDay(year));
  }
  const days = /(\d{1,2})\s*(?:个)?\s*(?:工作)?[天日]/.exec(text);
  return new Date(base + (days?.[1] ? Number(days[1]) : defaultDays) * DAY_MS);
}

/** `12月05日 18:00` in China time. */
export function chinaDateTime(at: Date): string {
  const iso = new Date(at.getTime() + CHINA_OFFSET_MS).toISOString();
  return `${iso.slice(5, 7)}月${iso.slice(8, 10)}日 ${iso.slice(11, 16)}`;
}
