import { join } from 'node:path';
import { z } from 'zod';
import { RESIDENT_MILESTONES } from '../src/cases/milestones';
import { ACTIVITY_NOTICE_KINDS } from '../src/alliance/types';
import { parseWith, readJsonFile } from './jsonFile';

/** What a template field is filled with; the field keys themselves come from the template chosen in the MP console. */
export const TEMPLATE_VALUE_SOURCES = ['caseNumber', 'category', 'status', 'time', 'departments', 'summary', 'tip'] as const;
export type TemplateValueSource = (typeof TEMPLATE_VALUE_SOURCES)[number];

const window = z.object({
  limit: z.number().int().positive(),
  windowSeconds: z.number().int().positive(),
});
export type RateWindow = z.infer<typeof window>;

const rule = z.object({ perOpenid: window.optional(), perIp: window.optional() }).strict();

const pixelWindow = z.object({ megapixels: z.number().positive(), windowSeconds: z.number().int().positive() }).strict();
const pixelBudget = z.object({ perOpenid: pixelWindow, perIp: pixelWindow }).strict();
export type PixelBudgetRule = z.infer<typeof pixelBudget>;

/** A subscribe-message template: its id and what fills each of its fields. */
const templateFilledFrom = <S extends readonly [string, ...string[]]>(sources: S) =>
  z
    .object({
      templateId: z.string().min(1),
      // WeChat template keys look like thing1, time2, character_string3, phrase4.
      fields: z.record(z.string().regex(/^[a-z_]+\d+$/, 'template field keys look like thing1 or time2'), z.enum(sources)),
    })
    .strict();
const template = templateFilledFrom(TEMPLATE_VALUE_SOURCES);
export type SubscribeTemplate = z.infer<typeof template>;

/** What a volunteer's 哨令 template field is filled with. */
export const VOLUNTEER_VALUE_SOURCES = ['activityTitle', 'startsAt', 'venue', 'status', 'message'] as const;
export type VolunteerValueSource = (typeof VOLUNTEER_VALUE_SOURCES)[number];
const volunteerTemplate = templateFilledFrom(VOLUNTEER_VALUE_SOURCES);
export type VolunteerTemplate = z.infer<typeof volunteerTemplate>;

export const mpConfigSchema = z
  .object({
    session: z.object({ ttlSeconds: z.number().int().min(60).max(30 * 24 * 3600) }).strict(),
    report: z
      .object({
        maxTextLength: z.number().int().min(10).max(5000),
        maxAddressLength: z.number().int().min(10).max(1000),
        maxCommentLength: z.number().int().min(10).max(2000),
        /** Parser confidence given to a category the resident changed: below the routing threshold, so the dispatcher looks. */
        correctedCategoryConfidence: z.number().min(0).max(1),
      })
      .strict(),
    photos: z
      .object({
        maxCount: z.number().int().min(0).max(20),
        maxBytes: z.number().int().min(1024).max(50 * 1024 * 1024),
        maxPixels: z.number().int().min(10_000),
        urlTtlSeconds: z.number().int().min(60).max(7 * 24 * 3600),
        /** Megapixels decoded per resident and per IP in a window (several processes share it through Redis). */
        pixelBudget,
      })
      .strict()
      .superRefine((photos, ctx) => {
        for (const scope of ['perOpenid', 'perIp'] as const) {
          if (photos.pixelBudget[scope].megapixels * 1_000_000 < photos.maxPixels) {
            ctx.addIssue({ code: 'custom', path: ['pixelBudget', scope, 'megapixels'], message: 'must allow at least one photo of maxPixels' });
          }
        }
      }),
    rateLimits: z.object({ login: rule, report: rule, read: rule, write: rule }).strict(),
    subscribe: z
      .object({
        page: z.string().min(1),
        miniprogramState: z.enum(['developer', 'trial', 'formal']),
        lang: z.enum(['zh_CN', 'en_US', 'zh_HK', 'zh_TW']),
        attempts: z.number().int().min(1).max(50),
        backoffMs: z.number().int().min(1),
        templates: z.partialRecord(z.enum(RESIDENT_MILESTONES), template),
        /** Volunteers' 哨令 news (posted, confirmed, reminder, changed, cancelled, waitlisted, promoted), one template each; unset kinds are not sent. */
        volunteerTemplates: z.partialRecord(z.enum(ACTIVITY_NOTICE_KINDS), volunteerTemplate).default({}),
        /** The mini-program page a volunteer's message opens (`?id=<activity id>` is added). */
        volunteerPage: z.string().min(1).default('pages/volunteer/activity'),
      })
      .strict(),
  })
  .strict();

export type MpConfig = z.infer<typeof mpConfigSchema>;
export type RateLimitAction = keyof MpConfig['rateLimits'];

export const DEFAULT_MP_CONFIG_PATH = join(__dirname, 'mp.json');

/** Validates a mini-program configuration object; problems name the key path. */
export function parseMpConfig(raw: unknown, source = 'config/mp.json'): MpConfig {
  return parseWith(mpConfigSchema, raw, source);
}

/** Reads and validates config/mp.json (or another file with the same shape). */
export function loadMpConfig(path = DEFAULT_MP_CONFIG_PATH): MpConfig {
  return parseMpConfig(readJsonFile(path), path);
}
