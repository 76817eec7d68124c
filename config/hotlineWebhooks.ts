import { z } from 'zod';
import { PROGRESS_MILESTONES, type ProgressMilestone } from '../src/cases/milestones';
import { ConfigError } from './errors';
import { parseWith, readJsonFile } from './jsonFile';

const platformId = z.string().regex(/^[a-z0-9-]{1,32}$/, 'platform ids are 1-32 lower-case letters, digits and -');

const platformSchema = z
  .object({
    id: platformId,
    /** Where the milestones are POSTed. */
    url: z.url({ protocol: /^https?$/ }),
    /** Name of the environment variable holding the HMAC secret shared with the platform (never the secret itself). */
    secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an environment variable name such as HOTLINE_12345_WEBHOOK_SECRET'),
    /** Orders that name no platform belong to the default one. */
    default: z.boolean().default(false),
    milestones: z.array(z.enum(PROGRESS_MILESTONES as [ProgressMilestone, ...ProgressMilestone[]])).min(1).default([...PROGRESS_MILESTONES]),
    /** Deliveries tried per milestone before it is given up (and logged). */
    attempts: z.number().int().min(1).max(50).default(12),
    /** First retry delay; doubles each attempt (5 s → about 3 h over 12 attempts). */
    backoffMs: z.number().int().min(10).default(5_000),
    timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
    /** Requests a minute to this platform, its own limiter: a slow platform holds back no other. */
    ratePerMinute: z.number().int().min(1).default(120),
  })
  .strict();

const fileSchema = z
  .object({ platforms: z.array(platformSchema).min(1) })
  .strict()
  .superRefine((file, ctx) => {
    const ids = file.platforms.map((p) => p.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['platforms', i, 'id'], message: `platform "${id}" is listed twice` });
    });
    const defaults = file.platforms.filter((p) => p.default).length;
    if (file.platforms.length > 1 && defaults !== 1) ctx.addIssue({ code: 'custom', path: ['platforms'], message: 'with several platforms exactly one must be "default": true' });
  });

export interface HotlineWebhookPlatform extends Omit<z.output<typeof platformSchema>, 'secretEnv'> {
  secret: string;
}

export interface HotlineWebhooks {
  platforms: HotlineWebhookPlatform[];
  /** The platform of an order that names none. */
  defaultPlatform: string;
}

/** Validates a webhook file and resolves each platform's secret from the environment. */
export function hotlineWebhooksFrom(raw: unknown, source: string, env: Record<string, string | undefined>): HotlineWebhooks {
  const file = parseWith(fileSchema, raw, source);
  const missing = file.platforms.filter((p) => !env[p.secretEnv]);
  if (missing.length > 0) throw new ConfigError(missing.map((p) => `${source}: platforms.${p.id}.secretEnv names ${p.secretEnv}, which is not set: set it to the secret shared with the platform`));
  const platforms = file.platforms.map(({ secretEnv, ...p }) => ({ ...p, secret: env[secretEnv] as string }));
  return { platforms, defaultPlatform: (file.platforms.find((p) => p.default) ?? file.platforms[0]!).id };
}

/** HOTLINE_WEBHOOKS_CONFIG: unset means no platform is told of progress (it may still poll the order API). */
export function loadHotlineWebhooks(path: string | undefined, env: Record<string, string | undefined> = process.env): HotlineWebhooks | undefined {
  return path === undefined ? undefined : hotlineWebhooksFrom(readJsonFile(path, 'HOTLINE_WEBHOOKS_CONFIG'), path, env);
}
