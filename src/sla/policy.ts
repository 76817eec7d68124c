import { z } from 'zod';
import { ConfigError } from '../../config/errors';
import { URGENCIES, isCategoryCode, type Urgency } from '../taxonomy';
import { isValidTimeZone } from './timeZone';

const DURATION = /^(\d+(?:\.\d+)?)(m|h|d)$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const durationText = z.string().regex(DURATION, 'must be a number followed by m, h or d, e.g. "30m", "4h", "5d"');
const clockSchema = z.enum(['calendar', 'working']);
const isoDate = z.string().regex(ISO_DATE, 'must be a date like "2026-10-10"');

const reminderSchema = z.strictObject({
  fractions: z.array(z.number().gt(0).lt(1)),
  atDeadline: z.boolean(),
  overdueEveryMinutes: z.number().int().positive(),
  maxOverdueReminders: z.number().int().min(0).max(1000),
});

export const ESCALATION_TARGETS = ['department_lead', 'street_dispatcher', 'street_leadership', 'district_leadership'] as const;
const escalationStepSchema = z.strictObject({
  afterDeadlineMinutes: z.number().min(0),
  to: z.enum(ESCALATION_TARGETS),
});

const stageSchema = z.strictObject({
  duration: durationText,
  clock: clockSchema,
  reminders: reminderSchema.optional(),
  escalation: z.array(escalationStepSchema).optional(),
});

const urgencyPolicySchema = z.strictObject({ accept: stageSchema, finish: stageSchema, verify: stageSchema });

const overrideSchema = z
  .strictObject({
    street: z.string().min(1).optional(),
    category: z.string().refine(isCategoryCode, 'is not a category code of the taxonomy').optional(),
    urgency: z.enum(URGENCIES as [Urgency, ...Urgency[]]).optional(),
    accept: stageSchema.partial().optional(),
    finish: stageSchema.partial().optional(),
    verify: stageSchema.partial().optional(),
  })
  .refine((o) => o.street !== undefined || o.category !== undefined || o.urgency !== undefined, 'needs at least one of street, category, urgency');

const workingPeriodSchema = z.strictObject({
  start: z.string().regex(HHMM, 'must be a time like "09:00"'),
  end: z.string().regex(HHMM, 'must be a time like "18:00"'),
});

const yearNoticeSchema = z.strictObject({
  source: z.string().min(1),
  holidays: z.array(isoDate).min(1),
  workdays: z.array(isoDate),
});

export const slaConfigSchema = z.strictObject({
  timeZone: z.string().refine(isValidTimeZone, 'is not a time zone this Node knows, e.g. "Asia/Shanghai"'),
  workingHours: z
    .array(workingPeriodSchema)
    .min(1)
    .refine((periods) => periods.every((p, i) => p.start < p.end && (i === 0 || (periods[i - 1]?.end ?? '') <= p.start)), 'periods must be ascending, non-overlapping, each start before its end'),
  extraHolidays: z.array(isoDate).default([]),
  extraWorkdays: z.array(isoDate).default([]),
  reminders: reminderSchema,
  escalation: z.array(escalationStepSchema),
  policies: z.strictObject({ emergency: urgencyPolicySchema, key: urgencyPolicySchema, daily: urgencyPolicySchema }),
  overrides: z.array(overrideSchema).default([]),
  /** State Council notices by year (`"2027"`), loaded with `npm run calendar:import`; see statutoryYears.ts. */
  statutoryYears: z.record(z.string().regex(/^\d{4}$/, 'must be a year like "2027"'), yearNoticeSchema).default({}),
});

export type SlaConfig = z.infer<typeof slaConfigSchema>;
export type Clock = z.infer<typeof clockSchema>;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];
export type StageKind = 'accept' | 'finish' | 'verify';

export interface Duration {
  amount: number;
  unit: 'm' | 'h' | 'd';
}

export interface ReminderPolicy {
  fractions: number[];
  atDeadline: boolean;
  overdueEveryMinutes: number;
  maxOverdueReminders: number;
}

export interface EscalationStep {
  afterDeadlineMinutes: number;
  to: EscalationTarget;
}

export interface StagePolicy {
  duration: Duration;
  clock: Clock;
  reminders: ReminderPolicy;
  escalation: EscalationStep[];
}

export type SlaPolicy = Record<StageKind, StagePolicy>;

/** Parses and validates an SLA table; the error names every bad key. */
export function parseSlaConfig(raw: unknown): SlaConfig {
  const parsed = slaConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((issue) => `sla.${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`));
}

export function parseDuration(text: string): Duration {
  const match = DURATION.exec(text);
  if (!match?.[1] || !match[2]) throw new Error(`bad duration "${text}"`);
  return { amount: Number(match[1]), unit: match[2] as Duration['unit'] };
}

export interface PolicyScope {
  urgency: Urgency;
  category?: string;
  streetId?: string;
}

// Street beats category beats urgency; among equals, the later rule in the file wins.
function specificity(o: SlaConfig['overrides'][number]): number {
  return (o.street ? 4 : 0) + (o.category ? 2 : 0) + (o.urgency ? 1 : 0);
}

function matches(o: SlaConfig['overrides'][number], scope: PolicyScope): boolean {
  return (
    (o.street === undefined || o.street === scope.streetId) &&
    (o.category === undefined || o.category === scope.category) &&
    (o.urgency === undefined || o.urgency === scope.urgency)
  );
}

/** The policy for one case: urgency defaults, then matching overrides from least to most specific. */
export function resolvePolicy(config: SlaConfig, scope: PolicyScope): SlaPolicy {
  const rules = config.overrides
    .map((rule, order) => ({ rule, order }))
    .filter(({ rule }) => matches(rule, scope))
    .sort((a, b) => specificity(a.rule) - specificity(b.rule) || a.order - b.order);
  const base = config.policies[scope.urgency];
  const stage = (kind: StageKind): StagePolicy => {
    const merged = rules.reduce((acc, { rule }) => ({ ...acc, ...rule[kind] }), { ...base[kind] });
    return {
      duration: parseDuration(merged.duration),
      clock: merged.clock,
      reminders: merged.reminders ?? config.reminders,
      escalation: merged.escalation ?? config.escalation,
    };
  };
  return { accept: stage('accept'), finish: stage('finish'), verify: stage('verify') };
}
