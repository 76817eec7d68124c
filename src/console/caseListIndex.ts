import { TypedFastBitSet } from 'typedfastbitset';
import { OPEN_CASE_STATES } from '../cases/types';
import type { Urgency } from '../taxonomy';
import { canSee, type Scope } from './access';
import { getOrAdd, partitionPoint } from './collections';
import { findPage, matches, type CaseFilter, type CasePage, type CaseQuery } from './caseQuery';
import { FilterCounts } from './filterCounts';
import { nextDue, overdue, type LightRule } from './lights';
import { PostingFilter } from './postingFilter';
import { SlotOrder, type Compare } from './slotOrder';
import type { CaseSummary } from './summary';

/**
 * Beyond this many matches a search the postings cannot answer alone (text, lights) stops
 * counting: such a search looks cases up, and its cost should not grow with the district's years
 * (the board and the statistics count; the list says "at least 1,000" and offers the next page).
 */
export const DEFAULT_COUNT_LIMIT = 1_000;

const URGENCY_ORDER: readonly Urgency[] = ['emergency', 'key', 'daily'];

const byId: Compare = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const createdKey: Compare = (a, b) => a.createdAt.getTime() - b.createdAt.getTime();
const numberKey: Compare = (a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0);
const dueKey: Compare = (a, b) => (nextDue(a)?.getTime() ?? 0) - (nextDue(b)?.getTime() ?? 0);
const thenById = (key: Compare): Compare => (a, b) => key(a, b) || byId(a, b);
const hasDeadline = (c: CaseSummary): boolean => nextDue(c) !== undefined;

function postingKeys(c: CaseSummary): string[] {
  const keys = [`state:${c.state}`, `urgency:${c.urgency}`, `street:${c.streetId}`];
  if (c.open) keys.push('open');
  if (hasDeadline(c)) keys.push('due');
  if (c.category !== undefined) keys.push(`category:${c.category}`);
  if (c.communityId !== undefined) keys.push(`community:${c.communityId}`);
  if (c.hardCase) keys.push('hard');
  for (const a of c.assignments) if (!keys.includes(`dept:${a.deptCode}`)) keys.push(`dept:${a.deptCode}`);
  return keys;
}

/** True when the postings decide the filter alone; text and lights need each candidate read. */
function decidedByPostings(filter: CaseFilter): boolean {
  return filter.q === undefined && filter.light === undefined;
}

/** True when a candidate must be read to know it matches: a text search, or a yellow light (red is the deadlines' alone). */
function readsCandidates(filter: CaseFilter): boolean {
  return filter.q !== undefined || filter.light === 'yellow';
}

/** The part of a filter the postings and the report order decide, and the scope: what a search's candidates match. */
function candidateFilter(filter: CaseFilter): CaseFilter {
  const { states, category, urgency, deptCode, streetId, communityId, from, to, hardCase } = filter;
  return { states, category, urgency, deptCode, streetId, communityId, from, to, hardCase };
}

/** True when the two slots' cases have the same key in an order. */
type SameKey = (a: number, b: number) => boolean;

/**
 * The slots of `span` of `order` that `has` takes, in order or in reverse — where ties on the key
 * still go by id ascending, as `findPage` orders them, so each run of equal keys is turned back.
 */
function* inOrder(order: readonly number[], span: Span, direction: 'asc' | 'desc', has: (slot: number) => boolean, sameKey: SameKey): Generator<number> {
  if (direction === 'asc') {
    for (let i = span.start; i < span.end; i++) {
      const slot = order[i] as number;
      if (has(slot)) yield slot;
    }
    return;
  }
  // The run of equal keys met so far, last first (one buffer for the walk: a desc walk makes no garbage per case).
  const run: number[] = [];
  let runLength = 0;
  for (let i = span.end - 1; i >= span.start; i--) {
    const slot = order[i] as number;
    if (!has(slot)) continue;
    if (runLength > 0 && !sameKey(run[0] as number, slot)) {
      for (let k = runLength - 1; k >= 0; k--) yield run[k] as number;
      runLength = 0;
    }
    run[runLength++] = slot;
  }
  for (let k = runLength - 1; k >= 0; k--) yield run[k] as number;
}

/** A slot range of an order: the walk reads `order[start]` up to `order[end - 1]`. */
interface Span {
  start: number;
  end: number;
}

/**
 * A search's candidates as tests on slots: the postings, the window of report dates (a span of the
 * report order) and, for a red light, the earliest deadline passed.
 */
interface Candidates {
  postings: PostingFilter;
  reported: Span;
  /** True when `reported` is narrower than every case, so a slot read in another order must check its date. */
  windowed: boolean;
  /** A slot of the report order's `reported` span is a candidate. */
  inSpan: (slot: number) => boolean;
  /** Any slot is a candidate. */
  has: (slot: number) => boolean;
}

/**
 * The case list's index over a district's years of cases: a bitset of slots per state, category,
 * urgency, street, community, department and 疑难件, and the slots in order of report, number, id
 * and (for the cases with a running limit) deadline, all kept as cases change. A search walks the
 * order it sorts by — over only the span of its report dates in the report order — and tests each
 * slot's bits until its page is full, so its cost is its page and how rare its matches are, not the
 * district's years; if its candidates are few it reads them instead. Its count is kept too
 * (`FilterCounts`). A search by light tests each slot's earliest deadline (red) or reads the case
 * (yellow), one by text reads it, and either, walking, stops counting past `countLimit` matches
 * (the page is still exact; its total says "at least"). `findPage` over the visible cases gives the
 * same page (a test holds the two together).
 */
export class CaseListIndex {
  private readonly slotOf = new Map<string, number>();
  private readonly cases: (CaseSummary | undefined)[] = [];
  private readonly live = new TypedFastBitSet();
  /**
   * Each slot's earliest running deadline (ms; infinite without one: a case is red once it is
   * passed) at `2 × slot`, and its report instant (ms: dates and ties in the report order) at
   * `2 × slot + 1` — side by side, so that a walk testing both reads one place, not the case.
   */
  private readonly instants: number[] = [];
  private readonly deadline = (slot: number) => this.instants[2 * slot] as number;
  private readonly created = (slot: number) => this.instants[2 * slot + 1] as number;
  private readonly postings = new Map<string, TypedFastBitSet>();
  private readonly caseAt = (slot: number) => this.cases[slot];
  private readonly byCreated = new SlotOrder(thenById(createdKey), this.caseAt);
  private readonly byNumber = new SlotOrder(thenById(numberKey), this.caseAt);
  private readonly byIdOrder = new SlotOrder(byId, this.caseAt);
  private readonly byDue = new SlotOrder(thenById(dueKey), this.caseAt, hasDeadline);
  private readonly orders = [this.byCreated, this.byNumber, this.byIdOrder, this.byDue];
  private readonly counts = new FilterCounts();

  constructor(private readonly countLimit = DEFAULT_COUNT_LIMIT) {}

  /** Puts the cases added since the last search in order (after a load, so that no search waits for it). */
  settle(): void {
    for (const order of this.orders) order.ordered();
  }

  /** A case's new summary replaces its old one (either may be missing: a new case, a dropped one). */
  replace(previous: CaseSummary | undefined, next: CaseSummary | undefined): void {
    const id = (previous ?? next)?.id;
    if (id === undefined) return;
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      if (!next) return;
      slot = this.cases.length;
      this.slotOf.set(id, slot);
      this.cases.push(undefined);
      this.instants.push(Infinity, 0);
    }
    const before = this.cases[slot];
    const was = before ? postingKeys(before) : [];
    const is = next ? postingKeys(next) : [];
    if (before?.createdAt.getTime() !== next?.createdAt.getTime() || was.join() !== is.join()) this.counts.changed(before, next);
    for (const key of was) this.postings.get(key)?.remove(slot);
    for (const key of is) getOrAdd(this.postings, key, () => new TypedFastBitSet()).add(slot);
    this.instants[2 * slot] = (next && nextDue(next)?.getTime()) ?? Infinity;
    if (next) {
      this.instants[2 * slot + 1] = next.createdAt.getTime();
      this.cases[slot] = next;
      this.live.add(slot);
    } else {
      this.cases[slot] = undefined;
      this.live.remove(slot);
      this.slotOf.delete(id);
    }
    for (const order of this.orders) order.changed(slot, before, next);
  }

  private posting(key: string): TypedFastBitSet {
    return this.postings.get(key) ?? new TypedFastBitSet();
  }

  /** The span of the report order reported in [from, to). */
  private reportedBetween(from: Date | undefined, to: Date | undefined): Span {
    const order = this.byCreated.ordered();
    const firstAtOrAfter = (t: number) => partitionPoint(order, (slot) => this.created(slot) < t);
    return { start: from ? firstAtOrAfter(from.getTime()) : 0, end: to ? firstAtOrAfter(to.getTime()) : order.length };
  }

  /** Every case the filter and the scope may match: exactly the matches unless `readsCandidates`. */
  private candidates(scope: Scope, filter: CaseFilter, now: Date): Candidates {
    const clauses: TypedFastBitSet[][] = [];
    if (scope.kind === 'streets') clauses.push(scope.streetIds.map((id) => this.posting(`street:${id}`)));
    if (scope.kind === 'department') clauses.push([this.posting(`dept:${scope.deptCode}`)]);
    const states = filter.states;
    const everyOpenState = states !== undefined && OPEN_CASE_STATES.every((s) => states.includes(s)) && states.every((s) => OPEN_CASE_STATES.includes(s));
    if (everyOpenState) clauses.push([this.posting('open')]);
    else if (states) clauses.push(states.map((s) => this.posting(`state:${s}`)));
    // Only an open case has a light.
    if (filter.light !== undefined) clauses.push([this.posting('open')]);
    if (filter.category !== undefined) clauses.push([this.posting(`category:${filter.category}`)]);
    if (filter.urgency !== undefined) clauses.push([this.posting(`urgency:${filter.urgency}`)]);
    if (filter.streetId !== undefined) clauses.push([this.posting(`street:${filter.streetId}`)]);
    if (filter.communityId !== undefined) clauses.push([this.posting(`community:${filter.communityId}`)]);
    if (filter.deptCode !== undefined) clauses.push([this.posting(`dept:${filter.deptCode}`)]);
    if (filter.hardCase === true) clauses.push([this.posting('hard')]);
    if (clauses.length === 0) clauses.push([this.live]);
    const postings = new PostingFilter(clauses, filter.hardCase === false ? [this.posting('hard')] : []);
    const reported = this.reportedBetween(filter.from, filter.to);
    const windowed = reported.start > 0 || reported.end < this.byCreated.ordered().length;
    const from = filter.from?.getTime() ?? -Infinity;
    const to = filter.to?.getTime() ?? Infinity;
    const inWindow = (slot: number) => {
      const t = this.created(slot);
      return t >= from && t < to;
    };
    const inSpan = filter.light === 'red' ? (slot: number) => postings.has(slot) && overdue(this.deadline(slot), now) : (slot: number) => postings.has(slot);
    return { postings, reported, windowed, inSpan, has: windowed ? (slot) => inSpan(slot) && inWindow(slot) : inSpan };
  }

  /** How many cases the candidates hold, kept for the next search with the same filter and scope. */
  private candidateCount(scope: Scope, filter: CaseFilter, candidates: Candidates): number {
    const counted = candidateFilter(filter);
    const openOnly = filter.light !== undefined;
    const key = JSON.stringify({ scope, ...counted, openOnly });
    const counts = (c: CaseSummary) => canSee(scope, c) && matches(c, counted, new Date(0)) && (!openOnly || c.open);
    return this.counts.count(key, counts, () => {
      if (!candidates.windowed) return candidates.postings.count();
      const order = this.byCreated.ordered();
      let count = 0;
      for (let i = candidates.reported.start; i < candidates.reported.end; i++) if (candidates.postings.has(order[i] as number)) count += 1;
      return count;
    });
  }

  /** One page of the cases a viewer with `scope` sees that match `query`, in its order. */
  page(scope: Scope, query: CaseQuery, now: Date, rule?: LightRule): CasePage {
    const candidates = this.candidates(scope, query, now);
    const size = this.candidateCount(scope, query, candidates);
    const wanted = query.page * query.pageSize;
    const walked = query.sort === 'createdAt' || query.sort === 'urgency' ? candidates.reported.end - candidates.reported.start : this.slotOf.size;
    // Reading every candidate costs per candidate; walking an order costs per slot walked, about
    // `wanted × walked / candidates`: walk when that is the smaller (by a rough factor for the cheaper step).
    if (query.sort === 'updatedAt' || size * size < (wanted * walked) / 16) {
      const read = (function* (cases: (CaseSummary | undefined)[]) {
        for (const slot of candidates.postings.slots()) yield cases[slot] as CaseSummary;
      })(this.cases);
      return findPage(read, query, now, rule);
    }
    return this.walk(candidates, query, decidedByPostings(query) ? size : undefined, now, rule);
  }

  private readonly sameCreated: SameKey = (a, b) => this.created(a) === this.created(b);
  private readonly sameDeadline: SameKey = (a, b) => this.deadline(a) === this.deadline(b);
  private readonly sameNumber: SameKey = (a, b) => this.cases[a]?.number === this.cases[b]?.number;

  /** The candidates' slots in the query's order. */
  private *ordered(query: CaseQuery, candidates: Candidates): Generator<number> {
    const { reported, inSpan, has } = candidates;
    const everywhere = (order: readonly number[]): Span => ({ start: 0, end: order.length });
    switch (query.sort) {
      case 'urgency': {
        const urgencies = query.order === 'asc' ? URGENCY_ORDER : [...URGENCY_ORDER].reverse();
        for (const urgency of urgencies) {
          if (query.urgency !== undefined && query.urgency !== urgency) continue;
          const ofUrgency = this.posting(`urgency:${urgency}`);
          yield* inOrder(this.byCreated.ordered(), reported, query.order, (slot) => ofUrgency.has(slot) && inSpan(slot), this.sameCreated);
        }
        return;
      }
      case 'due': {
        // Cases without a running limit sort as if due last, ties (all of them) by id.
        const withDeadline = this.byDue.ordered();
        const withoutDeadline = this.byIdOrder.ordered();
        const deadlines = this.posting('due');
        const withoutHas = (slot: number) => !deadlines.has(slot) && has(slot);
        if (query.order === 'asc') {
          yield* inOrder(withDeadline, everywhere(withDeadline), 'asc', has, this.sameDeadline);
          yield* inOrder(withoutDeadline, everywhere(withoutDeadline), 'asc', withoutHas, this.sameDeadline);
        } else {
          yield* inOrder(withoutDeadline, everywhere(withoutDeadline), 'asc', withoutHas, this.sameDeadline);
          yield* inOrder(withDeadline, everywhere(withDeadline), 'desc', has, this.sameDeadline);
        }
        return;
      }
      case 'number': {
        const order = this.byNumber.ordered();
        yield* inOrder(order, everywhere(order), query.order, has, this.sameNumber);
        return;
      }
      default:
        yield* inOrder(this.byCreated.ordered(), reported, query.order, inSpan, this.sameCreated);
    }
  }

  private walk(candidates: Candidates, query: CaseQuery, knownTotal: number | undefined, now: Date, rule?: LightRule): CasePage {
    const start = (query.page - 1) * query.pageSize;
    const end = start + query.pageSize;
    const items: CaseSummary[] = [];
    let seen = 0;
    let stoppedCounting = false;
    const reads = readsCandidates(query);
    for (const slot of this.ordered(query, candidates)) {
      if (reads && !matches(this.cases[slot] as CaseSummary, query, now, rule)) continue;
      if (seen >= start && seen < end) items.push(this.cases[slot] as CaseSummary);
      seen += 1;
      if (seen >= end && (knownTotal !== undefined || seen >= this.countLimit)) {
        stoppedCounting = knownTotal === undefined;
        break;
      }
    }
    if (knownTotal !== undefined) return { total: knownTotal, page: query.page, pageSize: query.pageSize, items };
    return { total: seen, page: query.page, pageSize: query.pageSize, items, ...(stoppedCounting && { totalIsLowerBound: true }) };
  }
}
