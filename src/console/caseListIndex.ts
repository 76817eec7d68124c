import { TypedFastBitSet } from 'typedfastbitset';
import { OPEN_CASE_STATES } from '../cases/types';
import type { Urgency } from '../taxonomy';
import type { Scope } from './access';
import { getOrAdd, mergeSorted, partitionPoint } from './collections';
import { findPage, matches, type CaseFilter, type CasePage, type CaseQuery } from './caseQuery';
import type { LightRule } from './lights';
import type { CaseSummary } from './summary';

/**
 * Beyond this many matches a search the postings cannot answer alone (text, lights) stops
 * counting: such a search looks cases up, and its cost should not grow with the district's years
 * (the board and the statistics count; the list says "at least 1,000" and offers the next page).
 */
export const DEFAULT_COUNT_LIMIT = 1_000;

const URGENCY_ORDER: readonly Urgency[] = ['emergency', 'key', 'daily'];

type Compare = (a: CaseSummary, b: CaseSummary) => number;

const byId: Compare = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const createdKey: Compare = (a, b) => a.createdAt.getTime() - b.createdAt.getTime();
const numberKey: Compare = (a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0);
const thenById = (key: Compare): Compare => (a, b) => key(a, b) || byId(a, b);

/**
 * Slots in one order of their cases, kept lazily: new slots wait in `pending` and are merged in
 * at the next read (a district's cases mostly arrive in order, so that is an append); a case whose
 * key changed, or a freed slot, marks the order for a full sort (both are rare: a key never changes
 * in the lifecycle, a case is dropped only when the store no longer has it).
 */
class SlotOrder {
  private slots: number[] = [];
  private pending: number[] = [];
  private stale = false;

  constructor(private readonly compare: Compare, private readonly caseAt: (slot: number) => CaseSummary | undefined) {}

  added(slot: number): void {
    this.pending.push(slot);
  }

  reorder(): void {
    this.stale = true;
  }

  private compareSlots = (a: number, b: number): number => this.compare(this.caseAt(a) as CaseSummary, this.caseAt(b) as CaseSummary);

  /** The live slots in order. */
  ordered(): readonly number[] {
    if (this.stale) {
      this.slots = [...this.slots, ...this.pending].filter((s) => this.caseAt(s) !== undefined).sort(this.compareSlots);
      this.pending = [];
      this.stale = false;
    } else if (this.pending.length > 0) {
      const incoming = this.pending.sort(this.compareSlots);
      this.pending = [];
      const last = this.slots.at(-1);
      if (last === undefined || this.compareSlots(last, incoming[0] as number) <= 0) for (const slot of incoming) this.slots.push(slot);
      else this.slots = mergeSorted(this.slots, incoming, this.compareSlots);
    }
    return this.slots;
  }
}

function postingKeys(c: CaseSummary): string[] {
  const keys = [`state:${c.state}`, `urgency:${c.urgency}`, `street:${c.streetId}`];
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

/**
 * The case list's index over a district's years of cases: a bitset of slots per state, category,
 * urgency, street, community, department and 疑难件, and the slots in order of report and of
 * number. A search intersects the bitsets of its filter and the viewer's scope (its count is their
 * size), then either reads the few candidates or walks the sort order until the page is full —
 * so a page of 1,000,000 cases costs about what a page of 10,000 does. A search by text or light
 * reads its candidates and, walking, stops counting past `countLimit` matches (the page is still
 * exact; its total says "at least"). `findPage` over the visible cases gives the same page
 * (a test holds the two together).
 */
export class CaseListIndex {
  private readonly slotOf = new Map<string, number>();
  private readonly cases: (CaseSummary | undefined)[] = [];
  private readonly live = new TypedFastBitSet();
  private readonly postings = new Map<string, TypedFastBitSet>();
  private readonly caseAt = (slot: number) => this.cases[slot];
  private readonly byCreated = new SlotOrder(thenById(createdKey), this.caseAt);
  private readonly byNumber = new SlotOrder(thenById(numberKey), this.caseAt);

  constructor(private readonly countLimit = DEFAULT_COUNT_LIMIT) {}

  /** Puts the cases added since the last search in order (after a load, so that no search waits for it). */
  settle(): void {
    this.byCreated.ordered();
    this.byNumber.ordered();
  }

  /** A case's new summary replaces its old one (either may be missing: a new case, a dropped one). */
  replace(previous: CaseSummary | undefined, next: CaseSummary | undefined): void {
    const id = (previous ?? next)?.id;
    if (id === undefined) return;
    let slot = this.slotOf.get(id);
    if (slot !== undefined && previous) for (const key of postingKeys(previous)) this.postings.get(key)?.remove(slot);
    if (!next) {
      if (slot === undefined) return;
      this.cases[slot] = undefined;
      this.live.remove(slot);
      this.slotOf.delete(id);
      this.byCreated.reorder();
      this.byNumber.reorder();
      return;
    }
    if (slot === undefined) {
      slot = this.cases.length;
      this.slotOf.set(id, slot);
      this.cases.push(next);
      this.byCreated.added(slot);
      this.byNumber.added(slot);
    } else {
      this.cases[slot] = next;
      if (previous && createdKey(previous, next) !== 0) this.byCreated.reorder();
      if (previous && numberKey(previous, next) !== 0) this.byNumber.reorder();
    }
    this.live.add(slot);
    for (const key of postingKeys(next)) {
      getOrAdd(this.postings, key, () => new TypedFastBitSet()).add(slot);
    }
  }

  private posting(key: string): TypedFastBitSet {
    return this.postings.get(key) ?? new TypedFastBitSet();
  }

  private anyOf(keys: readonly string[]): TypedFastBitSet {
    const union = new TypedFastBitSet();
    for (const key of keys) union.union(this.posting(key));
    return union;
  }

  /** The slots reported in [from, to), from the report order. */
  private reportedBetween(from: Date | undefined, to: Date | undefined): TypedFastBitSet {
    const order = this.byCreated.ordered();
    const firstAtOrAfter = (t: number) => partitionPoint(order, (slot) => (this.cases[slot] as CaseSummary).createdAt.getTime() < t);
    const start = from ? firstAtOrAfter(from.getTime()) : 0;
    const end = to ? firstAtOrAfter(to.getTime()) : order.length;
    const slots = new TypedFastBitSet();
    for (let i = start; i < end; i++) slots.add(order[i] as number);
    return slots;
  }

  /** Every case the filter and the scope may match: exactly the matches when `decidedByPostings`. */
  private candidates(scope: Scope, filter: CaseFilter): TypedFastBitSet {
    const sets: TypedFastBitSet[] = [];
    if (scope.kind === 'streets') sets.push(this.anyOf(scope.streetIds.map((id) => `street:${id}`)));
    if (scope.kind === 'department') sets.push(this.posting(`dept:${scope.deptCode}`));
    if (filter.states) sets.push(this.anyOf(filter.states.map((s) => `state:${s}`)));
    // Only an open case has a light.
    if (filter.light !== undefined) sets.push(this.anyOf(OPEN_CASE_STATES.map((s) => `state:${s}`)));
    if (filter.category !== undefined) sets.push(this.posting(`category:${filter.category}`));
    if (filter.urgency !== undefined) sets.push(this.posting(`urgency:${filter.urgency}`));
    if (filter.streetId !== undefined) sets.push(this.posting(`street:${filter.streetId}`));
    if (filter.communityId !== undefined) sets.push(this.posting(`community:${filter.communityId}`));
    if (filter.deptCode !== undefined) sets.push(this.posting(`dept:${filter.deptCode}`));
    if (filter.hardCase === true) sets.push(this.posting('hard'));
    if (filter.from || filter.to) sets.push(this.reportedBetween(filter.from, filter.to));
    sets.sort((a, b) => a.size() - b.size());
    const result = (sets[0] ?? this.live).clone();
    for (const set of sets.slice(1)) result.intersection(set);
    if (sets.length > 0) result.intersection(this.live);
    if (filter.hardCase === false) result.difference(this.posting('hard'));
    return result;
  }

  /** One page of the cases a viewer with `scope` sees that match `query`, in its order. */
  page(scope: Scope, query: CaseQuery, now: Date, rule?: LightRule): CasePage {
    const candidates = this.candidates(scope, query);
    const exact = decidedByPostings(query);
    const size = candidates.size();
    const wanted = query.page * query.pageSize;
    // Reading every candidate costs per candidate; walking an order costs per slot walked, about
    // `wanted × slots / candidates`: walk when that is the smaller (by a rough factor for the cheaper step).
    const walkable = query.sort === 'createdAt' || query.sort === 'number' || query.sort === 'urgency';
    if (!walkable || size * size < (wanted * this.cases.length) / 16) {
      const read = (function* (cases: (CaseSummary | undefined)[]) {
        for (const slot of candidates) yield cases[slot] as CaseSummary;
      })(this.cases);
      return findPage(read, query, now, rule);
    }
    return this.walk(candidates, query, exact ? size : undefined, now, rule);
  }

  private *ordered(query: CaseQuery, among: TypedFastBitSet): Generator<CaseSummary> {
    if (query.sort === 'urgency') {
      const urgencies = query.order === 'asc' ? URGENCY_ORDER : [...URGENCY_ORDER].reverse();
      for (const urgency of urgencies) yield* this.inOrder(this.byCreated.ordered(), query.order, among.new_intersection(this.posting(`urgency:${urgency}`)), createdKey);
      return;
    }
    const [order, key] = query.sort === 'number' ? [this.byNumber.ordered(), numberKey] : [this.byCreated.ordered(), createdKey];
    yield* this.inOrder(order, query.order, among, key);
  }

  /**
   * The cases of `among` in `order`, or in reverse — where ties on the key still go by id
   * ascending, as `findPage` orders them, so each run of equal keys is turned back.
   */
  private *inOrder(order: readonly number[], direction: 'asc' | 'desc', among: TypedFastBitSet, key: Compare): Generator<CaseSummary> {
    if (direction === 'asc') {
      for (const slot of order) if (among.has(slot)) yield this.cases[slot] as CaseSummary;
      return;
    }
    let run: CaseSummary[] = [];
    for (let i = order.length - 1; i >= 0; i--) {
      const slot = order[i] as number;
      if (!among.has(slot)) continue;
      const c = this.cases[slot] as CaseSummary;
      const head = run[0];
      if (head !== undefined && key(head, c) !== 0) {
        yield* run.reverse();
        run = [];
      }
      run.push(c);
    }
    yield* run.reverse();
  }

  private walk(candidates: TypedFastBitSet, query: CaseQuery, knownTotal: number | undefined, now: Date, rule?: LightRule): CasePage {
    const start = (query.page - 1) * query.pageSize;
    const end = start + query.pageSize;
    const items: CaseSummary[] = [];
    let seen = 0;
    let stoppedCounting = false;
    for (const c of this.ordered(query, candidates)) {
      if (knownTotal === undefined && !matches(c, query, now, rule)) continue;
      if (seen >= start && seen < end) items.push(c);
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
