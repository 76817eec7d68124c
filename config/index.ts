import { z } from 'zod';
import { envSchema, type Env } from './env';
import { ConfigError } from './errors';

export { ConfigError } from './errors';
export type { Env } from './env';

type RawEnv = Record<string, string | undefined>;

function withoutEmptyValues(raw: RawEnv): RawEnv {
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
}

function describeIssue(issue: z.core.$ZodIssue, raw: RawEnv): string {
  const key = issue.path.join('.') || '(root)';
  const given = typeof issue.path[0] === 'string' ? raw[issue.path[0]] : undefined;
  const reason = given === undefined && issue.code === 'invalid_type' ? 'is required' : issue.message;
  return `${key} ${reason}`;
}

/** Reads and validates the environment once; the rest of the code receives the typed result. */
export function loadEnv(raw: RawEnv = process.env): Env {
  const cleaned = withoutEmptyValues(raw);
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => describeIssue(i, cleaned)));
  return parsed.data;
}

/** True when no WeChat Work corp is configured: `npm start` then runs the self-contained sandbox. */
export function isSandbox(env: Env): boolean {
  return env.WECOM_CORP_ID === undefined;
}
