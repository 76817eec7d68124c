import { canSee, type Scope } from '../../../src/console/access';
import { buildBoard } from '../../../src/console/board';
import { BoardTally } from '../../../src/console/boardTally';
import type { LightRule } from '../../../src/console/lights';
import type { CaseSummary } from '../../../src/console/summary';
import { HOUR } from '../cases/fixtures';
import { at, DAY_START, DEPARTMENTS, randomChange, randomSummary } from './randomSummaries';

const SCOPES: Scope[] = [
  { kind: 'district' },
  { kind: 'streets', streetIds: ['s1'] },
  { kind: 'streets', streetIds: ['s2', 's3'] },
  ...DEPARTMENTS.map((deptCode): Scope => ({ kind: 'department', deptCode })),
  { kind: 'department', deptCode: 'nobody' },
];

function expectSameBoards(tally: BoardTally, cases: Map<string, CaseSummary>, rule: LightRule): number {
  let compared = 0;
  // Some instants fall exactly on a deadline or on a yellow onset, where `>` and `>=` differ.
  const clocks = [...cases.values()].flatMap((c) => c.clocks).filter((k) => k.due > k.since);
  const edges = [clocks[0], clocks[1]].flatMap((k) => (k ? [k.due.getTime(), k.since.getTime() + (k.due.getTime() - k.since.getTime()) * rule.yellowAt] : []));
  const instants = [...[-150, -20, 0, 3, 7.5, 30, 200].map((h) => at(h).getTime()), ...edges];
  for (const scope of SCOPES) {
    for (const instant of instants) {
      const now = new Date(instant);
      const hours = (instant - DAY_START.getTime()) / HOUR;
      const visible = [...cases.values()].filter((c) => canSee(scope, c));
      expect({ scope, hours, board: tally.board(scope, now, DAY_START) }).toEqual({ scope, hours, board: buildBoard(visible, now, DAY_START, rule) });
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
      randomChange(cases, step, (version += 1), (previous, next) => tally.replace(previous, next));
      if (step % 100 === 99) compared += expectSameBoards(tally, cases, rule);
    }
    expect(compared).toBe(6 * SCOPES.length * 11);
    // The comparison saw lights of every colour and alerts of both kinds.
    const board = tally.board({ kind: 'district' }, at(3), DAY_START);
    expect(board.red).toBeGreaterThan(0);
    if (rule.yellowAt < 1) expect(board.yellow).toBeGreaterThan(0);
    expect(board.open).toBeGreaterThan(50);
  });

  test('a case that is closed leaves the open counts, and one dropped leaves no trace', () => {
    const tally = new BoardTally();
    const c: CaseSummary = { ...randomSummary('x', 1), open: true, state: 'whistled' };
    tally.replace(undefined, c);
    expect(tally.board({ kind: 'district' }, at(0), DAY_START).open).toBe(1);
    const closed = { ...c, open: false, state: 'closed' as const, clocks: [], version: 2 };
    tally.replace(c, closed);
    const board = tally.board({ kind: 'district' }, at(0), DAY_START);
    expect(board).toMatchObject({ open: 0, red: 0, yellow: 0, alerts: [], byDepartment: [], byCategory: [] });
    tally.replace(closed, undefined);
    expect(tally.board({ kind: 'district' }, at(0), new Date(0))).toMatchObject({ open: 0, todayIntake: 0, todayClosed: 0, byStreet: [] });
  });
});
