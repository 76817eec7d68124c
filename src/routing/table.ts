import { z } from 'zod';
import { ConfigError } from '../../config/errors';
import type { DuplicateRule } from '../cases/duplicates';
import { URGENCIES, isCategoryCode, isDepartmentCode, type Urgency } from '../taxonomy';

const departmentCode = z.string().refine(isDepartmentCode, 'is not a department code of the taxonomy');
const categoryCode = z.string().refine(isCategoryCode, 'is not a category code of the taxonomy');

const streetRuleSchema = z.strictObject({
  lead: departmentCode.optional(),
  assisting: z.array(departmentCode).optional(),
});

export const routingTableSchema = z.strictObject({
  /** Below this parser confidence a human dispatcher picks the departments. */
  confidenceThreshold: z.number().min(0).max(1),
  alwaysTriageCategories: z.array(categoryCode).default([]),
  categoryAssisting: z.record(categoryCode, z.array(departmentCode)).default({}),
  /** streetId → category → who leads / assists in that street instead of the taxonomy default. */
  streetOverrides: z.record(z.string().min(1), z.record(categoryCode, streetRuleSchema)).default({}),
  /** Reports of the same category and place within this window are offered as duplicates. */
  duplicates: z.strictObject({ windowHours: z.number().positive(), maxDistanceMeters: z.number().min(0) }).default({ windowHours: 72, maxDistanceMeters: 50 }),
  /** Resident reports that the community handles first. */
  community: z.strictObject({
    sources: z.array(z.enum(['grid', 'resident', 'hotline', 'open311', 'dispatcher'])),
    categories: z.array(categoryCode),
    urgencies: z.array(z.enum(URGENCIES as [Urgency, ...Urgency[]])),
  }),
});

export type RoutingTable = z.infer<typeof routingTableSchema>;

export function duplicateRule(table: RoutingTable): DuplicateRule {
  return { windowMs: table.duplicates.windowHours * 3_600_000, maxDistanceMeters: table.duplicates.maxDistanceMeters };
}

export function parseRoutingTable(raw: unknown): RoutingTable {
  const parsed = routingTableSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((issue) => `routing.${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`));
}
