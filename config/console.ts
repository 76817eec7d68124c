import { z } from 'zod';
import { parseWith, readJsonFile } from './jsonFile';

const share = z.number().min(0).max(1);
const weight = z.number().min(0).max(100);

export const consoleConfigSchema = z.object({
  session: z.object({ ttlSeconds: z.number().int().min(300).max(7 * 24 * 3600) }),
  lights: z.object({ yellowAt: share }),
  assessment: z.object({
    /** `street`: the weight of the street's rating of departments (街道评价满意率); 0 (the default) keeps the three rates alone. */
    weights: z.object({ response: weight, resolution: weight, satisfaction: weight, street: weight.default(0) }).refine((w) => w.response + w.resolution + w.satisfaction + w.street > 0, 'at least one weight must be above 0'),
    minCases: z.number().int().min(0),
  }),
  exportMaxRows: z.number().int().min(1).max(100_000),
  map: z.object({
    tileUrl: z.string().url().nullable(),
    tileAttribution: z.string(),
    center: z.tuple([z.number().min(-90).max(90), z.number().min(-180).max(180)]),
    zoom: z.number().int().min(1).max(19),
    /** GeoJSON of the district or street outline, drawn when there are no tiles too. */
    outline: z.record(z.string(), z.unknown()),
  }),
});

export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

/** The console's settings file; `CONSOLE_TILE_URL` overrides the tile URL (a key belongs in the environment). */
export function loadConsoleConfig(path: string, tileUrl?: string): ConsoleConfig {
  const config = parseWith(consoleConfigSchema, readJsonFile(path, 'CONSOLE_CONFIG'), path);
  return tileUrl === undefined ? config : { ...config, map: { ...config.map, tileUrl } };
}
