import { addDays, zonedInstant } from '../../src/sla/timeZone';
import type { StatsPeriod } from '../../src/stats';
import { ValidationError } from '../errors';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 3600_000;
export const DEFAULT_PERIOD_DAYS = 30;

function instant(name: string, value: string, timeZone: string, endOfDay: boolean): Date {
  if (DATE_ONLY.test(value)) {
    const at = zonedInstant(endOfDay ? addDays(value, 1) : value, 0, timeZone);
    if (!Number.isNaN(at.getTime())) return at;
  } else {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime()) && /T/.test(value)) return at;
  }
  throw new ValidationError(`参数 ${name} 不是有效的日期，请使用 2026-11-01 或 2026-11-01T08:00:00+08:00 的格式`, { parameter: name, value });
}

function single(name: string, value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) throw new ValidationError(`参数 ${name} 只能给一次`, { parameter: name });
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * `from` / `to` / `street` of the stats query. A date without a time is a whole day in the
 * district's time zone, so `from=2026-11-01&to=2026-11-30` is all of November; `to` is exclusive
 * when a time is given. Without `to` the period ends now; without `from` it starts 30 days before `to`.
 */
export function parsePeriod(query: Record<string, string | string[] | undefined>, now: Date, timeZone: string): StatsPeriod {
  const fromText = single('from', query.from);
  const toText = single('to', query.to);
  const street = single('street', query.street);
  const to = toText === undefined ? now : instant('to', toText, timeZone, true);
  const from = fromText === undefined ? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS) : instant('from', fromText, timeZone, false);
  if (from.getTime() >= to.getTime()) throw new ValidationError('参数 from 必须早于 to', { from: from.toISOString(), to: to.toISOString() });
  return { from, to, ...(street !== undefined && { streetId: street }) };
}
