import { whistle } from '../../../src/cases';
import { OPEN_CASE_STATES, type CaseState } from '../../../src/cases/types';
import { canSee, type Scope } from '../../../src/console/access';
import { buildBoard } from '../../../src/console/board';
import { BoardTally } from '../../../src/console/boardTally';
import type { LightRule } from '../../../src/console/lights';
import { summarise, type AssignmentSummary, type CaseSummary, type RunningClock } from '../../../src/console/summary';
import { actors, ctx, HOUR, newCase, ok, T0 } from '../cases/fixtures';

const STREETS = ['s1', 's2', 's3'];
const DEPARTMENTS = ['zhujian', 'chengguan', 'shuiwu', 'gongan'];
const CATEGORIES = ['road', 'manhole', 'sanitation', undefined];
const DAY_START = new Date(T0.getTime() + 10 * 24 * HOUR);

let seed = 20261204;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
const at = (hoursFromDayStart: number) => new Date(DAY_START.getTime() + hoursFromDayStart * HOUR);

const base = summarise(ok(whistle(newCase({}, 'base'), { departments: ['zhujian'] }, ctx(actors.dispatcher))));
const baseAssignment = base.assignments[0] as AssignmentSummary;

/** A case in any state, street and light, some reported or finished today, some days ago. */
function randomSummary(id: string, version: number): CaseSummary {
  const open = random() < 0.7;
  const state: CaseState = open ? pick(OPEN_CASE_STATES) : pick(['closed', 'cancelled', 'merged'] as const);
  const createdAt = at(random() < 0.3 ? random() * 10 : -random() * 200);
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
  return {
    ...base, id, version, number: `2026-${id}`, streetId: pick(STREETS), state, open,
    ...(pick(CATEGORIES) !== undefined ? { category: pick(['road', 'manhole', 'sanitation']) } : { category: undefined }),
    hardCase: random() < 0.1, escalated: random() < 0.1,
    createdAt, updatedAt: createdAt, ...(closedAt ? { closedAt } : { closedAt: undefined }),
    assignments, clocks,
  };
}

function withoutUndefined(c: CaseSummary): CaseSummary {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as unknown as CaseSummary;
}

const SCOPES: Scope[] = [
  { kind: 'district' },
  { kind: 'streets', streetIds: ['s1'] },
  { kind: 'streets', streetIds: ['s2', 's3'] },
  ...DEPARTMENTS.map((deptCode): Scope => ({ kind: 'department', deptCode })),
  { kind: 'department', deptCode: 'nobody' },
];

function expectSameBoards(tally: BoardTally, cases: Map<string, CaseSummary>, rule: LightRule): number {
  let compared = 0;
  const touched = [...cases.values()].filter((c) => c.createdAt >= DAY_START || (c.closedAt !== undefined && c.closedAt >= DAY_START));
  // Some instants fall exactly on a deadline or on a yellow onset, where `>` and `>=` differ.
  const clocks = [...cases.values()].flatMap((c) => c.clocks).filter((k) => k.due > k.since);
  const edges = [clocks[0], clocks[1]].flatMap((k) => (k ? [k.due.getTime(), k.since.getTime() + (k.due.getTime() - k.since.getTime()) * rule.yellowAt] : []));
  const instants = [...[-150, -20, 0, 3, 7.5, 30, 200].map((h) => at(h).getTime()), ...edges];
  for (const scope of SCOPES) {
    for (const instant of instants) {
      const now = new Date(instant);
      const hours = (instant - DAY_START.getTime()) / HOUR;
      const visible = [...cases.values()].filter((c) => canSee(scope, c));
      expect({ scope, hours, board: tally.board(scope, now, DAY_START, touched) }).toEqual({ scope, hours, board: buildBoard(visible, now, DAY_START, rule) });
      compared += 1;
    }
  }
  return compared;
}

describe('the board kept as cases change', () => {
  test.each([{ yellowAt: 0.8 }, { yellowAt: 0.5 }, { yellowAt: 1 }])('equals the board counted over every case, for every scope and instant, as cases come, change and go (yellow at %o)', (rule) => {
    const tally = new BoardTally(rule);
    const cases = new Map<string, CaseSummary>();
    let version = 0;
    let compared = 0;
    for (let step = 0; step < 600; step++) {
      const existing = [...cases.keys()];
      const roll = random();
      if (existing.length === 0 || roll < 0.5) {
        const next = withoutUndefined(randomSummary(`c${step}`, (version += 1)));
        tally.replace(undefined, next);
        cases.set(next.id, next);
      } else if (roll < 0.9) {
        const id = pick(existing);
        const next = withoutUndefined(randomSummary(id, (version += 1)));
        tally.replace(cases.get(id), next);
        cases.set(id, next);
      } else {
        const id = pick(existing);
        tally.replace(cases.get(id), undefined);
        cases.delete(id);
      }
      if (step % 100 === 99) compared += expectSameBoards(tally, cases, rule);
    }
    expect(compared).toBe(6 * SCOPES.length * 11);
    // The comparison saw lights of every colour and alerts of both kinds.
    const board = tally.board({ kind: 'district' }, at(3), DAY_START, []);
    expect(board.red).toBeGreaterThan(0);
    if (rule.yellowAt < 1) expect(board.yellow).toBeGreaterThan(0);
    expect(board.open).toBeGreaterThan(50);
  });

  test('a case that is closed or dropped leaves no trace in the counts', () => {
    const tally = new BoardTally();
    const c = withoutUndefined({ ...randomSummary('x', 1), open: true, state: 'whistled' });
    tally.replace(undefined, c);
    expect(tally.board({ kind: 'district' }, at(0), DAY_START, []).open).toBe(1);
    const closed = { ...c, open: false, state: 'closed' as const, clocks: [], version: 2 };
    tally.replace(c, closed);
    const board = tally.board({ kind: 'district' }, at(0), DAY_START, []);
    expect(board).toMatchObject({ open: 0, red: 0, yellow: 0, alerts: [], byDepartment: [], byCategory: [] });
    expect(board.byStreet).toEqual([]);
  });
});
