import { z } from 'zod';
import { URGENCIES, type Urgency } from '../../src/taxonomy';

// Clients send "" for a field they do not have: it counts as absent.
const blankAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUndefined, schema.optional());
const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);
const coordinate = (min: number, max: number) => z.coerce.number().refine((n) => Number.isFinite(n) && n >= min && n <= max, `must be a number from ${min} to ${max}`);

/** POST requests.json, after the api_key was checked. Field names are the spec's. */
export const postRequestSchema = z
  .object({
    jurisdiction_id: optional(text(100)),
    service_code: z.preprocess(blankAsUndefined, z.string({ error: 'is required' }).trim().min(1).max(64)),
    lat: optional(coordinate(-90, 90)),
    long: optional(coordinate(-180, 180)),
    address_string: optional(text(200)),
    address_id: optional(text(100)),
    email: optional(z.email('must be an e-mail address').max(200)),
    device_id: optional(text(200)),
    account_id: optional(text(200)),
    first_name: optional(text(100)),
    last_name: optional(text(100)),
    phone: optional(z.string().trim().regex(/^\+?[0-9][0-9 ()-]{4,24}$/, 'must be a telephone number')),
    description: optional(text(4000)),
    media_url: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000)),
  })
  .superRefine((r, ctx) => {
    if ((r.lat === undefined) !== (r.long === undefined)) ctx.addIssue({ code: 'custom', path: ['long'], message: 'lat and long must be sent together' });
    if (r.lat === undefined && r.address_string === undefined) {
      ctx.addIssue({ code: 'custom', path: ['lat'], message: r.address_id !== undefined ? 'address_id is not supported here: send lat and long, or address_string' : 'a location is required: lat and long, or address_string' });
    }
  });

export function urgencyAttribute(value: string | undefined): Urgency | undefined | 'invalid' {
  if (value === undefined || value.trim() === '') return undefined;
  return (URGENCIES as readonly string[]).includes(value.trim()) ? (value.trim() as Urgency) : 'invalid';
}

const list = (max: number) => z.string().transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s !== '')).refine((l) => l.length <= max, `at most ${max} values`);
const w3Date = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a timezone, e.g. 2026-11-02T09:00:00+08:00' }).transform((v) => new Date(v));

/** GET requests.json filters. */
export const listRequestsSchema = z
  .object({
    jurisdiction_id: optional(text(100)),
    service_request_id: optional(list(1000)),
    service_code: optional(list(100)),
    start_date: optional(w3Date),
    end_date: optional(w3Date),
    status: optional(list(2).refine((l) => l.every((s) => s === 'open' || s === 'closed'), 'must be open, closed or open,closed')),
  })
  .refine((q) => q.start_date === undefined || q.end_date === undefined || q.start_date <= q.end_date, { path: ['end_date'], message: 'must not be before start_date' });

/** Each problem as `field: message`, for the spec's error list. */
export function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`);
}
