import { OPEN_CASE_STATES, type CaseState } from '../cases/types';
import type { Urgency } from '../taxonomy';
import { partitionPoint } from './collections';
import { caseLight, nextDue, type Light, type LightRule } from './lights';
import type { CaseSummary } from './summary';

export type CaseSortKey = 'createdAt' | 'number' | 'urgency' | 'due' | 'updatedAt';

export interface CaseFilter {
  states?: CaseState[];
  category?: string;
  urgency?: Urgency;
  deptCode?: string;
  streetId?: string;
  communityId?: string;
  /** Reported at or after `from` and before `to`. */
  from?: Date;
  to?: Date;
  /** Only cases whose worst light is this (red = overdue). */
  light?: Exclude<Light, 'none'>;
  hardCase?: boolean;
  /** Matches the case number, the place or the text (case-insensitive, any part). */
  q?: string;
}

export interface CaseQuery extends CaseFilter {
  sort: CaseSortKey;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export interface CasePage {
  /** The number of matches, or (with `totalIsLowerBound`) how many were counted before the search stopped counting. */
  total: number;
  totalIsLowerBound?: true;
  page: number;
  pageSize: number;
  items: CaseSummary[];
}

const URGENCY_RANK: Record<Urgency, number> = { emergency: 0, key: 1, daily: 2 };

export function matches(c: CaseSummary, f: CaseFilter, now: Date, rule?: LightRule): boolean {
  if (f.states && !f.states.includes(c.state)) return false;
  if (f.category !== undefined && c.category !== f.category) return false;
  if (f.urgency !== undefined && c.urgency !== f.urgency) return false;
  if (f.streetId !== undefined && c.streetId !== f.streetId) return false;
  if (f.communityId !== undefined && c.communityId !== f.communityId) return false;
  if (f.deptCode !== undefined && !c.assignments.some((a) => a.deptCode === f.deptCode)) return false;
  if (f.from && c.createdAt < f.from) return false;
  if (f.to && c.createdAt >= f.to) return false;
  if (f.hardCase !== undefined && c.hardCase !== f.hardCase) return false;
  if (f.light !== undefined && caseLight(c, now, rule) !== f.light) return false;
  if (f.q !== undefined && !containsQuery(c, searchText(f, f.q))) return false;
  return true;
}

interface SearchText {
  /** The query as asked. */
  asked: string;
  /** The query lower-cased. */
  q: string;
  /** True when the query has no letters (most are Chinese): the text is matched as it is. */
  caseless: boolean;
}

const searchTexts = new WeakMap<CaseFilter, SearchText>();

/** The filter's text query as `containsQuery` takes it, worked out once per filter rather than once per case. */
function searchText(f: CaseFilter, query: string): SearchText {
  let text = searchTexts.get(f);
  if (text === undefined || text.asked !== query) {
    const q = query.toLowerCase();
    text = { asked: query, q, caseless: q === query.toUpperCase() };
    searchTexts.set(f, text);
  }
  return text;
}

/** The case number, the place or the text contains `q`, letters matched in either case. */
function containsQuery(c: CaseSummary, { q, caseless }: SearchText): boolean {
  if (c.number.includes(q)) return true;
  // Lower-casing 500 characters of every case searched would cost more than the search: only when the query has letters.
  return textContains(c.locationText ?? '', q, caseless) || textContains(c.text, q, caseless);
}

/** `text` contains the lower-cased `q` (lower-casing the text first unless `q` has no letters). */
function textContains(text: string, q: string, caseless: boolean): boolean {
  return (caseless ? text : text.toLowerCase()).includes(q);
}

function byKey(sort: CaseSortKey): (a: CaseSummary, b: CaseSummary) => number {
  switch (sort) {
    case 'createdAt': return (a, b) => a.createdAt.getTime() - b.createdAt.getTime();
    case 'updatedAt': return (a, b) => a.updatedAt.getTime() - b.updatedAt.getTime();
    case 'number': return (a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0);
    case 'urgency': return (a, b) => URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency] || a.createdAt.getTime() - b.createdAt.getTime();
    // Cases without a running deadline come last either way.
    case 'due': return (a, b) => (nextDue(a)?.getTime() ?? Number.MAX_SAFE_INTEGER) - (nextDue(b)?.getTime() ?? Number.MAX_SAFE_INTEGER);
  }
}

/** The query's order, ties broken by id so that pages never overlap or skip a case. */
function comparator(query: Pick<CaseQuery, 'sort' | 'order'>): (a: CaseSummary, b: CaseSummary) => number {
  const key = byKey(query.sort);
  const directed = query.order === 'asc' ? key : (a: CaseSummary, b: CaseSummary) => key(b, a);
  return (a, b) => directed(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Every match, sorted (the export takes all of them). */
export function findCases(cases: Iterable<CaseSummary>, query: Omit<CaseQuery, 'page' | 'pageSize'>, now: Date, rule?: LightRule): CaseSummary[] {
  const found: CaseSummary[] = [];
  for (const c of cases) if (matches(c, query, now, rule)) found.push(c);
  return found.sort(comparator(query));
}

/**
 * One page of the matches and their count, keeping only the first `page × pageSize` in order
 * (a binary-searched insertion) instead of sorting every match: a list of 100,000 cases sorts 50.
 */
export function findPage(cases: Iterable<CaseSummary>, query: CaseQuery, now: Date, rule?: LightRule): CasePage {
  const compare = comparator(query);
  const keep = query.page * query.pageSize;
  const first: CaseSummary[] = [];
  let total = 0;
  for (const c of cases) {
    if (!matches(c, query, now, rule)) continue;
    total += 1;
    if (first.length === keep && compare(c, first[keep - 1] as CaseSummary) >= 0) continue;
    first.splice(partitionPoint(first, (kept) => compare(kept, c) <= 0), 0, c);
    if (first.length > keep) first.pop();
  }
  const start = (query.page - 1) * query.pageSize;
  return { total, page: query.page, pageSize: query.pageSize, items: first.slice(start) };
}

/** True when every case the filter can match is open, so a search may read the open cases only. */
export function onlyOpenMatch(filter: CaseFilter): boolean {
  if (filter.light !== undefined) return true;
  return filter.states !== undefined && filter.states.every((s) => OPEN_CASE_STATES.includes(s));
}
