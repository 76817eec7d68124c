import { departmentName } from '../src/labels';
import { z } from 'zod';
import { CATEGORY_CODES, category as categoryInfo, taxonomy } from '../src/taxonomy';
import { parseWith, readJsonFile } from './jsonFile';

const window = z.object({ limit: z.number().int().positive(), windowSeconds: z.number().int().positive() }).strict();

const serviceSchema = z
  .object({
    /** The Open311 service_code clients send; stable. */
    code: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'service codes are 1-64 letters, digits and _ . -'),
    /** The case category it files under (config/taxonomy.json). */
    category: z.string().refine((c) => CATEGORY_CODES.includes(c), 'must be a category code from config/taxonomy.json'),
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    group: z.string().optional(),
    keywords: z.array(z.string()).default([]),
  })
  .strict();

export const open311ConfigSchema = z
  .object({
    /** Each jurisdiction_id a client may send, and the street its requests go to. */
    jurisdictions: z.array(z.object({ id: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/), streetId: z.string().min(1) }).strict()).min(1),
    /** Absent: one service per category of the taxonomy, service_code = category code. */
    services: z.array(serviceSchema).min(1).optional(),
    limits: z
      .object({
        /** Requests filed per client key. */
        postPerKey: window,
        /** Reads per client IP (GET needs no key, as the spec allows). */
        readPerIp: window,
      })
      .strict(),
    /** GET requests.json without dates covers this many days… */
    defaultDays: z.number().int().min(1).max(3650).default(90),
    /** …and at most this many requests. */
    maxRequests: z.number().int().min(1).max(10_000).default(1000),
  })
  .strict()
  .superRefine((config, ctx) => {
    const codes = (config.services ?? []).map((s) => s.code);
    codes.forEach((code, i) => {
      if (codes.indexOf(code) !== i) ctx.addIssue({ code: 'custom', path: ['services', i, 'code'], message: `service_code "${code}" is listed twice` });
    });
    const ids = config.jurisdictions.map((j) => j.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['jurisdictions', i, 'id'], message: `jurisdiction "${id}" is listed twice` });
    });
  });

export interface Open311Service {
  code: string;
  category: string;
  name: string;
  description: string;
  group: string;
  keywords: string[];
}

export interface Open311Config extends Omit<z.output<typeof open311ConfigSchema>, 'services'> {
  services: Open311Service[];
}

/** The services clients see: the configured ones, or one per category of the taxonomy. */
function servicesOf(configured: z.output<typeof serviceSchema>[] | undefined): Open311Service[] {
  const entries: z.output<typeof serviceSchema>[] = configured ?? taxonomy.categories.map((c) => ({ code: c.code, category: c.code, keywords: [] }));
  return entries.map((s) => {
    const info = categoryInfo(s.category);
    return { code: s.code, category: s.category, name: s.name ?? info.name, description: s.description ?? info.scope, group: s.group ?? departmentName(info.lead), keywords: s.keywords };
  });
}

export function open311ConfigFrom(raw: unknown, source: string): Open311Config {
  const parsed = parseWith(open311ConfigSchema, raw, source);
  return { ...parsed, services: servicesOf(parsed.services) };
}

/** OPEN311_CONFIG: jurisdictions, services, limits. */
export function loadOpen311Config(path: string): Open311Config {
  return open311ConfigFrom(readJsonFile(path, 'OPEN311_CONFIG'), path);
}
