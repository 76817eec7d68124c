import { accept, feedback, rate, verify, whistle } from '../../../src/cases';
import { canSee, viewerFor } from '../../../src/console/access';
import { buildBoard } from '../../../src/console/board';
import { findCases, findPage, onlyOpenMatch, type CaseQuery, type CaseSortKey } from '../../../src/console/caseQuery';
import { findHotspots } from '../../../src/console/hotspots';
import { caseLight } from '../../../src/console/lights';
import { assess, departmentFigures, weightedScore, DEFAULT_ASSESSMENT } from '../../../src/console/rankings';
import { summarise } from '../../../src/console/summary';
import { statsByDepartment, assignmentFacts } from '../../../src/stats';
import { actors, ctx, HOUR, newCase, ok, T0 } from '../cases/fixtures';

const whistledTo = (dept: string, id: string, overrides = {}) => ok(whistle(newCase(overrides, id), { departments: [dept] }, ctx(actors.dispatcher)));

describe('who sees what', () => {
  test('the widest console role wins; grid members get no console', () => {
    expect(viewerFor({ userId: 'a', name: 'A', districtId: 'd1', roles: ['admin', 'dispatcher'], streetId: 's1' })?.scope).toEqual({ kind: 'district' });
    expect(viewerFor({ userId: 'b', name: 'B', districtId: 'd1', roles: ['dispatcher'], streetId: 's1' })).toMatchObject({ scope: { kind: 'streets', streetIds: ['s1'] }, actorRole: 'dispatcher' });
    expect(viewerFor({ userId: 'c', name: 'C', districtId: 'd1', roles: ['dept_lead'], deptCode: 'zhujian' })).toMatchObject({ scope: { kind: 'department', deptCode: 'zhujian' }, actorRole: 'dept_lead' });
    expect(viewerFor({ userId: 'd', name: 'D', districtId: 'd1', roles: ['grid_member'] })).toBeUndefined();
    expect(viewerFor({ userId: 'e', name: 'E', districtId: 'd1', roles: ['dispatcher'] })).toBeUndefined();
  });

  test('a department sees only cases it was whistled on; a street only its streets', () => {
    const c = summarise(whistledTo('zhujian', 'c1'));
    expect(canSee({ kind: 'department', deptCode: 'zhujian' }, c)).toBe(true);
    expect(canSee({ kind: 'department', deptCode: 'chengguan' }, c)).toBe(false);
    expect(canSee({ kind: 'streets', streetIds: ['s1'] }, c)).toBe(true);
    expect(canSee({ kind: 'streets', streetIds: ['s2'] }, c)).toBe(false);
    expect(canSee({ kind: 'district' }, c)).toBe(true);
  });
});

describe('lights, board and case list', () => {
  test('yellow after 80% of the limit, red after the deadline (simple plan: accept within an hour)', () => {
    const c = summarise(whistledTo('zhujian', 'c1'));
    const since = c.clocks[0]!.since.getTime();
    expect(caseLight(c, new Date(since + 0.5 * HOUR))).toBe('none');
    expect(caseLight(c, new Date(since + 0.85 * HOUR))).toBe('yellow');
    expect(caseLight(c, new Date(since + 1.1 * HOUR))).toBe('red');
  });

  test('the board counts open cases by state, street, department and light', () => {
    const late = summarise(whistledTo('zhujian', 'c1'));
    const fresh = summarise(whistledTo('chengguan', 'c2', { streetId: 's2' }));
    const triage = summarise(newCase({}, 'c3'));
    const now = new Date(fresh.clocks[0]!.due.getTime() + 60_000);
    const board = buildBoard([late, fresh, triage], now, new Date(T0.getTime() - HOUR));
    expect(board).toMatchObject({ open: 3, byState: { triage: 1, whistled: 2 }, todayIntake: 3 });
    expect(board.red).toBe(2); // both whistles are past their hour by now
    expect(board.byDepartment.map((d) => [d.deptCode, d.open, d.red])).toEqual(expect.arrayContaining([['zhujian', 1, 1], ['chengguan', 1, 1]]));
    expect(board.byStreet.find((s) => s.streetId === 's2')).toMatchObject({ open: 1 });
    expect(board.alerts.map((a) => a.id).sort()).toEqual(['c1', 'c2']);
  });

  test('the board names the twelve most urgent of many overdue cases, red first, earliest deadline first', () => {
    const cases = Array.from({ length: 40 }, (_, i) => {
      const c = summarise(whistledTo('zhujian', `u${i}`));
      // Deadlines spread out, some equal, in no order.
      const due = new Date(T0.getTime() + ((i * 7) % 40) * 60_000 + (i % 3 === 0 ? 0 : 1));
      return { ...c, clocks: c.clocks.map((k) => ({ ...k, due, since: new Date(due.getTime() - HOUR) })) };
    });
    const now = new Date(T0.getTime() + 20 * 60_000);
    const board = buildBoard(cases, now, new Date(T0.getTime() - HOUR));
    const lightOf = (c: (typeof cases)[number]) => caseLight(c, now);
    const expected = cases
      .filter((c) => lightOf(c) !== 'none')
      .map((c) => ({ id: c.id, light: lightOf(c), due: c.clocks[0]!.due.getTime() }))
      .sort((a, b) => (a.light === b.light ? a.due - b.due : a.light === 'red' ? -1 : 1))
      .slice(0, 12);
    expect(board.alerts.map((a) => a.id)).toEqual(expected.map((e) => e.id));
    expect(board.alerts.filter((a) => a.light === 'red').length).toBeGreaterThan(0);
    expect(board.alerts.some((a) => a.light === 'yellow')).toBe(expected.some((e) => e.light === 'yellow'));
  });

  test('filters, search, sort and paging', () => {
    const cases = [
      summarise(whistledTo('zhujian', 'a', { text: '幸福路井盖丢失', parsed: { category: 'manhole', urgency: 'key', locationText: '幸福路3号', confidence: 1 } })),
      summarise(whistledTo('chengguan', 'b', { parsed: { category: 'road', urgency: 'emergency', locationText: '和平街', confidence: 1 } })),
      summarise(newCase({}, 'c')),
    ];
    const now = new Date(T0.getTime() + 10 * 60_000);
    const base = { sort: 'createdAt', order: 'asc' } as const;
    expect(findCases(cases, { ...base, q: '井盖' }, now).map((c) => c.id)).toEqual(['a']);
    expect(findCases(cases, { ...base, q: '和平' }, now).map((c) => c.id)).toEqual(['b']);
    expect(findCases(cases, { ...base, deptCode: 'chengguan' }, now).map((c) => c.id)).toEqual(['b']);
    expect(findCases(cases, { ...base, states: ['triage'] }, now).map((c) => c.id)).toEqual(['c']);
    expect(findCases(cases, { ...base, sort: 'urgency' }, now).map((c) => c.id)[0]).toBe('b');
    const page = findPage(cases, { ...base, page: 2, pageSize: 2 }, now);
    expect(page).toMatchObject({ total: 3, page: 2 });
    expect(page.items).toHaveLength(1);
  });

  test('a page kept by insertion equals the same page of the fully sorted list, for every sort, order and page', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const categories = ['road', 'manhole', 'sanitation'];
    const cases = Array.from({ length: 60 }, (_, i) => {
      const whistled = random() < 0.6;
      const draftOverrides = { parsed: { category: categories[Math.floor(random() * 3)] ?? 'road', urgency: (['daily', 'key', 'emergency'] as const)[Math.floor(random() * 3)] ?? 'daily', locationText: `幸福路${i % 7}号`, confidence: 1 } };
      const c = whistled ? whistledTo(random() < 0.5 ? 'zhujian' : 'chengguan', `id-${String(i).padStart(3, '0')}`, draftOverrides) : newCase(draftOverrides, `id-${String(i).padStart(3, '0')}`);
      // Equal keys are common (same minute, same number) so that the id decides ties.
      return summarise({ ...c, number: `2026-00000${i % 4}`, createdAt: new Date(T0.getTime() + (i % 5) * 60_000) });
    });
    const now = new Date(T0.getTime() + 30 * 60_000);
    const sorts: CaseSortKey[] = ['createdAt', 'number', 'urgency', 'due', 'updatedAt'];
    for (const sort of sorts) {
      for (const order of ['asc', 'desc'] as const) {
        for (const filter of [{}, { category: 'road' }, { states: ['whistled' as const] }]) {
          const all = findCases(cases, { sort, order, ...filter }, now);
          for (const pageSize of [1, 7, 25]) {
            for (let page = 1; page <= Math.ceil(all.length / pageSize) + 1; page++) {
              const query: CaseQuery = { sort, order, page, pageSize, ...filter };
              const found = findPage(cases, query, now);
              expect(found.total).toBe(all.length);
              expect(found.items.map((c) => c.id)).toEqual(all.slice((page - 1) * pageSize, page * pageSize).map((c) => c.id));
            }
          }
        }
      }
    }
  });

  test('a search may read only the open cases when its states are open ones or it asks for a light', () => {
    expect(onlyOpenMatch({ states: ['whistled', 'triage'] })).toBe(true);
    expect(onlyOpenMatch({ light: 'red' })).toBe(true);
    expect(onlyOpenMatch({ states: ['whistled', 'closed'] })).toBe(false);
    expect(onlyOpenMatch({ category: 'road' })).toBe(false);
  });

  test('hotspots: the same category at the same place three times', () => {
    const same = (id: string) => summarise(whistledTo('zhujian', id, { parsed: { category: 'road', urgency: 'daily', locationText: '幸福路12号', locationKey: '幸福路12号', confidence: 1 } }));
    const spots = findHotspots([same('a'), same('b'), same('c'), summarise(newCase({ parsed: { category: 'road', urgency: 'daily', locationText: '和平街8号', confidence: 1 } }, 'd'))], new Date(T0.getTime() - HOUR), new Date(T0.getTime() + 1000 * HOUR));
    expect(spots).toHaveLength(1);
    expect(spots[0]).toMatchObject({ category: 'road', count: 3, open: 3 });
  });
});

describe('assessment', () => {
  test('the summaries give the same department figures as the facts the stats API sums', () => {
    let closed = whistledTo('zhujian', 'a');
    closed = ok(accept(closed, ctx(actors.lisi)));
    closed = ok(feedback(closed, { text: '已修复' }, ctx(actors.zhangsan)));
    closed = ok(verify(closed, { outcome: 'solved' }, ctx(actors.dispatcher)));
    closed = ok(rate(closed, { value: 'satisfied' }, ctx({ userId: 'grid-wang', role: 'reporter' })));
    const open = whistledTo('chengguan', 'b');
    const period = { from: new Date(T0.getTime() - HOUR), to: new Date(T0.getTime() + 1000 * HOUR) };
    const { stats } = departmentFigures([summarise(closed), summarise(open)], period);
    expect(stats).toEqual(statsByDepartment([...assignmentFacts(closed), ...assignmentFacts(open)], period));
    expect(stats.find((s) => s.deptCode === 'zhujian')).toMatchObject({ whistlesReceived: 1, solved: 1, satisfactionRate: 1 });
  });

  test('weights and the minimum case count decide score and rank', () => {
    const row = (deptCode: string, received: number, response: number | null, resolution: number | null, satisfaction: number | null) => ({
      deptCode, whistlesReceived: received, responseRate: response, resolutionRate: resolution, satisfactionRate: satisfaction,
      accepted: 0, acceptedOnTime: 0, returns: 0, done: 0, doneOnTime: 0, onTimeCompletionRate: null, closed: 0, solved: 0, rated: 0,
      meanTimeToAcceptMs: null, meanTimeToFinishMs: null, whistleRated: 0, whistleReasonableRate: null, streetRated: 0, streetSatisfactionRate: null,
    });
    expect(weightedScore(row('x', 9, 1, 0.5, 0.5), DEFAULT_ASSESSMENT)).toBe(65);
    expect(weightedScore(row('x', 9, 1, null, null), DEFAULT_ASSESSMENT)).toBe(100);
    const ranked = assess([row('a', 10, 1, 1, 1), row('b', 10, 0.5, 0.5, 0.5), row('c', 2, 1, 1, 1)], new Map([['b', 3]]), DEFAULT_ASSESSMENT);
    expect(ranked.map((r) => [r.deptCode, r.rank, r.score, r.reopens])).toEqual([['a', 1, 100, 0], ['b', 2, 50, 3], ['c', null, null, 0]]);
    expect(assess([row('c', 2, 1, 1, 1)], new Map(), { ...DEFAULT_ASSESSMENT, minCases: 0 })[0]?.rank).toBe(1);
  });

  test('the street\'s rating of departments counts only with a weight; by default the three rates alone', () => {
    const row = (streetRate: number | null) => ({
      deptCode: 'x', whistlesReceived: 9, responseRate: 1, resolutionRate: 0.5, satisfactionRate: 0.5,
      accepted: 0, acceptedOnTime: 0, returns: 0, done: 0, doneOnTime: 0, onTimeCompletionRate: null, closed: 0, solved: 0, rated: 0,
      meanTimeToAcceptMs: null, meanTimeToFinishMs: null, whistleRated: 0, whistleReasonableRate: null, streetRated: 4, streetSatisfactionRate: streetRate,
    });
    expect(DEFAULT_ASSESSMENT.weights.street).toBe(0);
    expect(weightedScore(row(0), DEFAULT_ASSESSMENT)).toBe(65);
    const withStreet = { ...DEFAULT_ASSESSMENT, weights: { response: 30, resolution: 30, satisfaction: 20, street: 20 } };
    // (1×30 + 0.5×30 + 0.5×20 + 0.25×20) / 100 = 0.6
    expect(weightedScore(row(0.25), withStreet)).toBe(60);
    // No street rating yet: the weight is left out, (30 + 15 + 10) / 80
    expect(weightedScore(row(null), withStreet)).toBe(68.8);
  });
});
