import { whistle } from '../../../src/cases';
import { OPEN_CASE_STATES, type CaseState } from '../../../src/cases/types';
import { summarise, type AssignmentSummary, type CaseSummary, type RunningClock } from '../../../src/console/summary';
import { actors, ctx, HOUR, newCase, ok, T0 } from '../cases/fixtures';

/** Random case summaries for the tests that hold the command centre's kept indexes to a walk over every case. */
export const STREETS = ['s1', 's2', 's3'];
export const COMMUNITIES = ['c1', 'c2', undefined];
export const DEPARTMENTS = ['zhujian', 'chengguan', 'shuiwu', 'gongan'];
export const CATEGORIES = ['road', 'manhole', 'sanitation'];
export const PLACES = ['幸福路3号', '和平街', '将军府小区', undefined];
export const TEXTS = ['井盖丢失', '路面塌陷 太危险', '垃圾满溢', '将军府门口积水'];
export const DAY_START = new Date(T0.getTime() + 10 * 24 * HOUR);

let seed = 20261204;
export const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
export const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
export const at = (hoursFromDayStart: number) => new Date(DAY_START.getTime() + hoursFromDayStart * HOUR);

const base = summarise(ok(whistle(newCase({}, 'base'), { departments: ['zhujian'] }, ctx(actors.dispatcher))));
const baseAssignment = base.assignments[0] as AssignmentSummary;

/**
 * A case in any state, street and light, some reported or finished today, some days ago; report
 * times on whole hours and numbers from a short range, so that equal keys are common.
 */
export function randomSummary(id: string, version: number): CaseSummary {
  const open = random() < 0.7;
  const state: CaseState = open ? pick(OPEN_CASE_STATES) : pick(['closed', 'cancelled', 'merged'] as const);
  const createdAt = at(Math.round(random() < 0.3 ? random() * 10 : -random() * 200));
  const departments = Array.from({ length: Math.floor(random() * 3) }, () => pick(DEPARTMENTS));
  const assignments = departments.map((deptCode, i): AssignmentSummary => ({ ...baseAssignment, deptCode, role: i === 0 ? 'lead' : 'assisting', active: random() < 0.8 }));
  const clocks: RunningClock[] = open
    ? assignments.flatMap((a): RunningClock[] => {
      if (!a.active || random() < 0.2) return [];
      const since = at(-random() * 100);
      // Some limits already used up, some near, some far; a few with no span at all.
      const span = random() < 0.05 ? 0 : random() * 120 * HOUR;
      return [{ kind: pick(['accept', 'finish'] as const), deptCode: a.deptCode, since, due: new Date(since.getTime() + span) }];
    })
    : [];
  if (open && random() < 0.15) clocks.push({ kind: 'verify', since: at(-random() * 50), due: at(random() * 20 - 10) });
  const closedAt = open ? undefined : new Date(createdAt.getTime() + random() * 30 * HOUR);
  return withoutUndefined({
    ...base, id, version, number: `2026-${String(Math.floor(random() * 300)).padStart(6, '0')}`, streetId: pick(STREETS), communityId: pick(COMMUNITIES), state, open,
    category: random() < 0.75 ? pick(CATEGORIES) : undefined,
    urgency: pick(['emergency', 'key', 'daily'] as const),
    locationText: pick(PLACES), text: pick(TEXTS),
    hardCase: random() < 0.1, escalated: random() < 0.1,
    createdAt, updatedAt: new Date(createdAt.getTime() + random() * 10 * HOUR), closedAt,
    assignments, clocks,
  });
}

function withoutUndefined(c: { [K in keyof CaseSummary]: CaseSummary[K] | undefined }): CaseSummary {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as unknown as CaseSummary;
}

/** Applies a random change (a new case, a new version, a dropped case) to `cases` and hands it to `replace`. */
export function randomChange(cases: Map<string, CaseSummary>, step: number, version: number, replace: (previous: CaseSummary | undefined, next: CaseSummary | undefined) => void): void {
  const existing = [...cases.keys()];
  const roll = random();
  if (existing.length === 0 || roll < 0.5) {
    const next = randomSummary(`c${step}`, version);
    replace(undefined, next);
    cases.set(next.id, next);
  } else if (roll < 0.9) {
    const id = pick(existing);
    const next = randomSummary(id, version);
    replace(cases.get(id), next);
    cases.set(id, next);
  } else {
    const id = pick(existing);
    replace(cases.get(id), undefined);
    cases.delete(id);
  }
}
