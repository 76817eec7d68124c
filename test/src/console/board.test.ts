import { whistle } from '../../../src/cases';
import { buildBoard } from '../../../src/console/board';
import { findCases, findPage, onlyOpenMatch, type CaseQuery, type CaseSortKey } from '../../../src/console/caseQuery';
import { findHotspots } from '../../../src/console/hotspots';
import { caseLight } from '../../../src/console/lights';
import { summarise } from '../../../src/console/summary';
import { actors, ctx, HOUR, newCase, ok, T0 } from '../cases/fixtures';

const whistledTo = (dept: string, id: string, overrides = {}) => ok(whistle(newCase(overrides, id), { departments: [dept] }, ctx(actors.dispatcher)));

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
