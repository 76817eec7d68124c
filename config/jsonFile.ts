import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from './errors';

/** Reads a JSON configuration file; `label` (e.g. the variable that named it) leads the error. */
export function readJsonFile(path: string, label?: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`${label ? `${label} ` : ''}${path} cannot be read as JSON: ${(error as Error).message}`]);
  }
}

/** Validates `raw` against `schema`; every problem names `source` and the bad key. */
export function parseWith<S extends z.ZodType>(schema: S, raw: unknown, source: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${source}: ${i.path.join('.') || '(root)'} ${i.message}`));
  return parsed.data;
}
