import { z } from 'zod';
import categoriesJson from '../../config/parser/categories.json';
import urgencyJson from '../../config/parser/urgency.json';
import placesJson from '../../config/parser/places.json';
import departmentsJson from '../../config/parser/departments.json';
import chatterJson from '../../config/parser/chatter.json';
import typosJson from '../../config/parser/typos.json';
import examplesJson from '../../config/parser/examples.json';
import actionabilityJson from '../../config/parser/actionability.json';
import { isCategoryCode, isDepartmentCode } from '../taxonomy';

const words = z.array(z.string().min(1));

const categoriesSchema = z.object({
  weights: z.record(z.string(), z.number().positive()),
  categories: z.record(z.string().refine(isCategoryCode, 'unknown category code'), z.record(z.string(), words)),
  neutral: words,
  categoryNegators: words,
  /** A category word right before these names a place (垃圾站旁边), and counts as a weak word. */
  placeMarkers: words.default([]),
});

const tiered = z.object({ strong: words, weak: words });

const urgencySchema = z.object({
  emergencyThreshold: z.number().positive(),
  keyThreshold: z.number().positive(),
  emergency: tiered,
  key: tiered,
  neutral: words,
  negators: words,
  hypotheticals: words,
  imminence: words,
  negationWindow: z.number().int().nonnegative(),
  hypotheticalWindow: z.number().int().nonnegative(),
  durations: z.object({
    units: words,
    leadIns: words,
    dayThreshold: z.number().int().positive(),
    /** A duration right after these measures something else (过期了两个月, 扣了一个月工资). */
    ignoreAfter: words.default([]),
  }),
  patterns: z.object({ emergency: words, key: words }),
});

const placesSchema = z.object({
  known: words,
  suffixes: z.object({ road: words, area: words }),
  minNameLength: z.object({ road: z.number().int().positive(), area: z.number().int().positive() }),
  maxNameLength: z.object({ road: z.number().int().positive(), area: z.number().int().positive() }),
  shortAllowed: words,
  genericNames: words,
  boundaryChars: z.string(),
  leadingFillers: words,
  relative: words,
  intersectionJoiners: words,
  intersectionTails: words,
  roadSuffixStoppers: z.record(z.string(), z.string()),
  internalCuts: words,
  relativeExceptions: words,
  rangeJoiners: words,
  introducers: words.default([]),
  nameStarters: words.default([]),
});

const departmentsSchema = z.object({
  cues: z.record(z.string().refine(isDepartmentCode, 'unknown department code'), words),
});

const chatterSchema = z.object({
  phrases: words,
  greetings: words,
  reportVerbs: words,
});

const actionabilitySchema = z.object({
  consultation: words,
  groups: z.array(z.object({ code: z.string().min(1), reason: z.string().min(1), words })),
  fallback: z.string().min(1),
});

export type ActionabilityVocab = z.infer<typeof actionabilitySchema>;
export type CategoryVocab = z.infer<typeof categoriesSchema>;
export type UrgencyVocab = z.infer<typeof urgencySchema>;
export type PlacesVocab = z.infer<typeof placesSchema>;
export type DepartmentsVocab = z.infer<typeof departmentsSchema>;
export type ChatterVocab = z.infer<typeof chatterSchema>;

export interface ParserVocab {
  categories: CategoryVocab;
  urgency: UrgencyVocab;
  places: PlacesVocab;
  departments: DepartmentsVocab;
  chatter: ChatterVocab;
  typos: Record<string, string>;
  examples: Array<{ text: string; category: string }>;
  actionability: ActionabilityVocab;
}

/** Validates raw vocabulary tables (e.g. a district's own copy); throws naming the bad field. */
export function parseVocab(raw: Record<keyof ParserVocab, unknown>): ParserVocab {
  return {
    categories: categoriesSchema.parse(raw.categories),
    urgency: urgencySchema.parse(raw.urgency),
    places: placesSchema.parse(raw.places),
    departments: departmentsSchema.parse(raw.departments),
    chatter: chatterSchema.parse(raw.chatter),
    typos: z.record(z.string(), z.string()).parse(raw.typos),
    actionability: actionabilitySchema.parse(raw.actionability),
    examples: z
      .array(z.object({ text: z.string(), category: z.string().refine(isCategoryCode, 'unknown category code') }))
      .parse(raw.examples),
  };
}

export const defaultVocab: ParserVocab = parseVocab({
  categories: categoriesJson,
  urgency: urgencyJson,
  places: placesJson,
  departments: departmentsJson,
  chatter: chatterJson,
  typos: (typosJson as { replacements: unknown }).replacements,
  examples: (examplesJson as { examples: unknown }).examples,
  actionability: actionabilityJson,
});
