import { OPEN_CASE_STATES, type CaseState } from '../cases/types';
import { getOrAdd } from './collections';
import { caseLight, nextDue, type Light, type LightRule } from './lights';
import type { CaseSummary } from './summary';

export interface BoardCount {
  open: number;
  red: number;
  yellow: number;
  today: number;
}

export interface BoardAlert {
  id: string;
  number: string;
  category?: string;
  locationText?: string;
  streetId: string;
  light: Exclude<Light, 'none'>;
  due?: Date;
  departments: string[];
}

/** The board's single figures. */
export interface BoardFigures {
  open: number;
  byState: Record<string, number>;
  red: number;
  yellow: number;
  todayIntake: number;
  todayClosed: number;
  hardCases: number;
  escalated: number;
}

export interface Board extends BoardFigures {
  generatedAt: Date;
  byStreet: ({ streetId: string } & BoardCount)[];
  byDepartment: ({ deptCode: string } & BoardCount)[];
  byCategory: { category: string; open: number }[];
  alerts: BoardAlert[];
}

export const ALERTS_SHOWN = 12;

export function emptyCount(): BoardCount {
  return { open: 0, red: 0, yellow: 0, today: 0 };
}

export function tally(map: Map<string, BoardCount>, key: string): BoardCount {
  return getOrAdd(map, key, emptyCount);
}

export interface AlertCandidate {
  case: CaseSummary;
  light: Exclude<Light, 'none'>;
  due: Date | undefined;
}

/** Red before yellow, then the earliest deadline first, then the case id (so equal deadlines keep one order). */
export function moreUrgent(a: AlertCandidate, b: AlertCandidate): boolean {
  if (a.light !== b.light) return a.light === 'red';
  const byDue = (a.due?.getTime() ?? 0) - (b.due?.getTime() ?? 0);
  return byDue !== 0 ? byDue < 0 : a.case.id < b.case.id;
}

/**
 * Keeps the `ALERTS_SHOWN` most urgent cases in order, by insertion: a district with tens of
 * thousands of overdue cases shows twelve, so it must not build and sort an alert for each.
 */
export function keepMostUrgent(kept: AlertCandidate[], candidate: AlertCandidate): void {
  if (kept.length === ALERTS_SHOWN && !moreUrgent(candidate, kept[ALERTS_SHOWN - 1] as AlertCandidate)) return;
  let at = kept.length;
  while (at > 0 && moreUrgent(candidate, kept[at - 1] as AlertCandidate)) at -= 1;
  kept.splice(at, 0, candidate);
  if (kept.length > ALERTS_SHOWN) kept.pop();
}

/** What a board is made of before it is ordered for display. */
export interface BoardParts extends BoardFigures {
  streets: Map<string, BoardCount>;
  departments: Map<string, BoardCount>;
  categories: Map<string, number>;
  alerts: AlertCandidate[];
}

/** A board of no cases, to count into. */
export function emptyBoardParts(): BoardParts {
  return {
    open: 0, byState: Object.fromEntries(OPEN_CASE_STATES.map((s: CaseState) => [s, 0])), red: 0, yellow: 0,
    todayIntake: 0, todayClosed: 0, hardCases: 0, escalated: 0,
    streets: new Map(), departments: new Map(), categories: new Map(), alerts: [],
  };
}

/** Most red first, then most open, then by code, so that equal rows keep one order. */
function byCount<T extends BoardCount>(key: (row: T) => string): (a: T, b: T) => number {
  return (a, b) => b.red - a.red || b.open - a.open || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

export function assembleBoard(parts: BoardParts, now: Date): Board {
  const { streets, departments, categories, alerts, ...figures } = parts;
  return {
    generatedAt: now,
    ...figures,
    byStreet: [...streets].map(([streetId, count]) => ({ streetId, ...count })).sort(byCount((r) => r.streetId)),
    byDepartment: [...departments].map(([deptCode, count]) => ({ deptCode, ...count })).sort(byCount((r) => r.deptCode)),
    byCategory: [...categories].map(([category, n]) => ({ category, open: n })).sort((a, b) => b.open - a.open || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0)),
    alerts: alerts.map(({ case: c, light, due }) => ({
      id: c.id, number: c.number, streetId: c.streetId, light,
      ...(c.category !== undefined && { category: c.category }),
      ...(c.locationText !== undefined && { locationText: c.locationText }),
      ...(due !== undefined && { due }),
      departments: c.assignments.filter((a) => a.active).map((a) => a.deptCode),
    })),
  };
}

/**
 * The board (大屏) over the cases a viewer may see: open cases by state, lights, today's intake,
 * and the same by street and by department (a department counts its own active assignments' lights).
 * This walks every case it is given; the command centre answers from `BoardTally`, kept as cases change.
 */
export function buildBoard(cases: Iterable<CaseSummary>, now: Date, dayStart: Date, rule?: LightRule): Board {
  const parts = emptyBoardParts();
  const dayStartMs = dayStart.getTime();

  for (const c of cases) {
    const createdToday = c.createdAt.getTime() >= dayStartMs;
    if (createdToday) {
      parts.todayIntake += 1;
      tally(parts.streets, c.streetId).today += 1;
    }
    if (c.closedAt && c.closedAt.getTime() >= dayStartMs && c.state === 'closed') parts.todayClosed += 1;
    if (!c.open) continue;
    parts.open += 1;
    parts.byState[c.state] = (parts.byState[c.state] ?? 0) + 1;
    if (c.hardCase) parts.hardCases += 1;
    if (c.escalated) parts.escalated += 1;
    parts.categories.set(c.category ?? 'other', (parts.categories.get(c.category ?? 'other') ?? 0) + 1);
    const light = caseLight(c, now, rule);
    const street = tally(parts.streets, c.streetId);
    street.open += 1;
    if (light === 'red') { parts.red += 1; street.red += 1; }
    if (light === 'yellow') { parts.yellow += 1; street.yellow += 1; }
    for (const a of c.assignments) {
      if (!a.active) continue;
      const dept = tally(parts.departments, a.deptCode);
      dept.open += 1;
      if (createdToday) dept.today += 1;
      const deptLight = caseLight(c, now, rule, a.deptCode);
      if (deptLight === 'red') dept.red += 1;
      if (deptLight === 'yellow') dept.yellow += 1;
    }
    if (light !== 'none') keepMostUrgent(parts.alerts, { case: c, light, due: nextDue(c) });
  }
  return assembleBoard(parts, now);
}
