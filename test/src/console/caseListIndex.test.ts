import { OPEN_CASE_STATES, type CaseState } from '../../../src/cases/types';
import { canSee, type Scope } from '../../../src/console/access';
import { CaseListIndex } from '../../../src/console/caseListIndex';
import { findPage, type CaseQuery, type CaseSortKey } from '../../../src/console/caseQuery';
import type { CaseSummary } from '../../../src/console/summary';
import { at, CATEGORIES, COMMUNITIES, DEPARTMENTS, pick, random, randomChange, STREETS } from './randomSummaries';

const SCOPES: Scope[] = [
  { kind: 'district' },
  { kind: 'streets', streetIds: ['s1'] },
  { kind: 'streets', streetIds: ['s2', 's3'] },
  { kind: 'department', deptCode: 'zhujian' },
  { kind: 'department', deptCode: 'nobody' },
];
const SORTS: CaseSortKey[] = ['createdAt', 'number', 'urgency', 'due', 'updatedAt'];

/** A query of the list's kind: a few filters at random, any sort, order and page. */
function randomQuery(): CaseQuery {
  const maybe = <T>(p: number, value: () => T): T | undefined => (random() < p ? value() : undefined);
  const states = maybe(0.4, () => (random() < 0.5 ? [...OPEN_CASE_STATES] : [pick<CaseState>(['closed', 'triage', 'whistled', 'cancelled'])]));
  const from = maybe(0.25, () => at(-Math.round(random() * 150)));
  const to = maybe(0.15, () => at(Math.round(random() * 20 - 100)));
  const entries = {
    states, from, to,
    category: maybe(0.25, () => pick([...CATEGORIES, 'nothing'])),
    urgency: maybe(0.2, () => pick(['emergency', 'key', 'daily'] as const)),
    deptCode: maybe(0.2, () => pick(DEPARTMENTS)),
    streetId: maybe(0.2, () => pick(STREETS)),
    communityId: maybe(0.15, () => pick(COMMUNITIES) ?? 'c1'),
    hardCase: maybe(0.1, () => random() < 0.5),
    light: maybe(0.1, () => pick(['red', 'yellow'] as const)),
    q: maybe(0.15, () => pick(['将军府', '井盖', '2026-0001', '幸福'])),
  };
  const filters = Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
  return { ...filters, sort: pick(SORTS), order: random() < 0.5 ? 'asc' : 'desc', page: 1 + Math.floor(random() * 4), pageSize: pick([5, 20, 50]) };
}

const ids = (cases: readonly CaseSummary[]) => cases.map((c) => c.id);

describe('the case list index', () => {
  test('gives the page and count a walk over every visible case gives, for random searches as cases come, change and go', () => {
    const index = new CaseListIndex(Number.MAX_SAFE_INTEGER);
    const cases = new Map<string, CaseSummary>();
    let compared = 0, nonEmpty = 0;
    for (let step = 0; step < 1500; step++) {
      randomChange(cases, step, step + 1, (previous, next) => index.replace(previous, next));
      if (step % 150 !== 149) continue;
      for (let n = 0; n < 60; n++) {
        const scope = pick(SCOPES);
        const query = randomQuery();
        const now = at(random() * 40 - 20);
        const expected = findPage([...cases.values()].filter((c) => canSee(scope, c)), query, now);
        const page = index.page(scope, query, now);
        expect({ scope, query, total: page.total, items: ids(page.items), lowerBound: page.totalIsLowerBound }).toEqual({ scope, query, total: expected.total, items: ids(expected.items), lowerBound: undefined });
        compared += 1;
        if (expected.items.length > 0) nonEmpty += 1;
      }
    }
    expect(compared).toBe(600);
    // A third of the searches or more found something, so the pages compared were not all empty.
    expect(nonEmpty).toBeGreaterThan(150);
  });

  test('keeps its orders and the counts of searches asked before as a few cases change between searches', () => {
    const index = new CaseListIndex(Number.MAX_SAFE_INTEGER);
    const cases = new Map<string, CaseSummary>();
    for (let step = 0; step < 300; step++) randomChange(cases, step, step + 1, (previous, next) => index.replace(previous, next));
    index.settle();
    // The same searches each time, so that their counts are the ones kept from the first time and changed since.
    const asked = Array.from({ length: 12 }, () => ({ scope: pick(SCOPES), query: randomQuery() }));
    let compared = 0, counted = 0;
    for (let step = 300; step < 700;) {
      const changes = 1 + Math.floor(random() * 4);
      for (let k = 0; k < changes; k++, step++) randomChange(cases, step, step + 1, (previous, next) => index.replace(previous, next));
      const now = at(random() * 40 - 20);
      for (const { scope, query } of [...asked, { scope: pick(SCOPES), query: randomQuery() }]) {
        const expected = findPage([...cases.values()].filter((c) => canSee(scope, c)), query, now);
        const page = index.page(scope, query, now);
        expect({ scope, query, total: page.total, items: ids(page.items) }).toEqual({ scope, query, total: expected.total, items: ids(expected.items) });
        compared += 1;
        if (expected.total > 0) counted += 1;
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(counted).toBeGreaterThan(compared / 3);
  });

  test('a search by text stops counting past the limit, and still gives the right page', () => {
    const index = new CaseListIndex(30);
    const cases = new Map<string, CaseSummary>();
    for (let step = 0; step < 800; step++) randomChange(cases, step, step + 1, (previous, next) => index.replace(previous, next));
    const now = at(0);
    for (const query of [
      { q: '将', sort: 'createdAt', order: 'desc', page: 1, pageSize: 20 },
      { q: '将', sort: 'number', order: 'asc', page: 2, pageSize: 20 },
      { light: 'red', sort: 'urgency', order: 'asc', page: 1, pageSize: 10 },
    ] satisfies CaseQuery[]) {
      const expected = findPage(cases.values(), query, now);
      expect(expected.total).toBeGreaterThan(40);
      const page = index.page({ kind: 'district' }, query, now);
      expect(ids(page.items)).toEqual(ids(expected.items));
      expect(page).toMatchObject({ totalIsLowerBound: true });
      expect(page.total).toBeGreaterThanOrEqual(Math.max(30, query.page * query.pageSize));
      expect(page.total).toBeLessThan(expected.total);
    }
    // The postings alone decide this one: its count is exact however many match.
    const byState = { states: ['closed'] as CaseState[], sort: 'createdAt' as const, order: 'desc' as const, page: 1, pageSize: 20 };
    const exact = index.page({ kind: 'district' }, byState, now);
    expect(exact.totalIsLowerBound).toBeUndefined();
    expect(exact.total).toBe(findPage(cases.values(), byState, now).total);
    expect(exact.total).toBeGreaterThan(30);
  });
});
