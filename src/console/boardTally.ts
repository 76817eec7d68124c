import type { CaseState } from '../cases/types';
import type { Scope } from './access';
import { getOrAdd, mergeSorted, partitionPoint } from './collections';
import { ALERTS_SHOWN, assembleBoard, emptyBoardParts, keepMostUrgent, tally, type AlertCandidate, type Board, type BoardCount } from './board';
import { DEFAULT_LIGHT_RULE, type LightRule } from './lights';
import type { CaseSummary, RunningClock } from './summary';

/**
 * When a set of running clocks lights up: yellow at or after `yellowFrom`, red strictly after
 * `redAfter` (the earliest deadline). `clockLight` decides the same for one clock and one instant;
 * these are its thresholds, so that counting lights at an instant is a binary search.
 */
interface Thresholds {
  yellowFrom: number;
  redAfter: number;
}

const NEVER: Thresholds = { yellowFrom: Number.POSITIVE_INFINITY, redAfter: Number.POSITIVE_INFINITY };

function thresholds(clocks: readonly RunningClock[], rule: LightRule, deptCode?: string): Thresholds {
  let yellowFrom = Number.POSITIVE_INFINITY;
  let redAfter = Number.POSITIVE_INFINITY;
  for (const clock of clocks) {
    if (deptCode !== undefined && clock.deptCode !== deptCode) continue;
    const since = clock.since.getTime();
    const due = clock.due.getTime();
    const span = due - since;
    // The same expression as `clockLight`, so that the boundary instant is decided the same way.
    const onset = span <= 0 ? Number.NEGATIVE_INFINITY : since + span * rule.yellowAt;
    if (onset < yellowFrom) yellowFrom = onset;
    if (due < redAfter) redAfter = due;
  }
  return { yellowFrom, redAfter };
}

/**
 * A sorted multiset, filled lazily: additions wait unsorted and are merged in at the next read or
 * removal, so a first load of 100,000 open cases in any order costs a sort, not 100,000 insertions.
 */
class SortedBuffer<T> {
  private sorted: T[] = [];
  private pending: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  add(value: T): void {
    this.pending.push(value);
  }

  /** Removes one element equal to `value` (neither before nor after it), if there is one. */
  remove(value: T): void {
    const values = this.values();
    const at = partitionPoint(values, (v) => this.before(v, value));
    if (at < values.length && !this.before(value, values[at] as T)) values.splice(at, 1);
  }

  values(): T[] {
    if (this.pending.length > 0) {
      const compare = (a: T, b: T) => (this.before(a, b) ? -1 : this.before(b, a) ? 1 : 0);
      this.sorted = mergeSorted(this.sorted, this.pending.sort(compare), compare);
      this.pending = [];
    }
    return this.sorted;
  }
}

/** A sorted multiset of instants (infinite ones are not kept: they never light). */
class SortedInstants {
  private readonly buffer = new SortedBuffer<number>((a, b) => a < b);

  add(value: number): void {
    if (value !== Number.POSITIVE_INFINITY) this.buffer.add(value);
  }

  remove(value: number): void {
    if (value !== Number.POSITIVE_INFINITY) this.buffer.remove(value);
  }

  countBelow(t: number): number {
    return partitionPoint(this.buffer.values(), (v) => v < t);
  }

  countAtOrBelow(t: number): number {
    return partitionPoint(this.buffer.values(), (v) => v <= t);
  }

  countAtOrAfter(t: number): number {
    const values = this.buffer.values();
    return values.length - partitionPoint(values, (v) => v < t);
  }

  settle(): void {
    this.buffer.values();
  }
}

/** Open cases (or assignments) and their lights at any instant. */
class LightCounter {
  open = 0;
  private readonly yellowFrom = new SortedInstants();
  private readonly redAfter = new SortedInstants();

  change(th: Thresholds, sign: 1 | -1): void {
    this.open += sign;
    if (sign === 1) {
      this.yellowFrom.add(th.yellowFrom);
      this.redAfter.add(th.redAfter);
    } else {
      this.yellowFrom.remove(th.yellowFrom);
      this.redAfter.remove(th.redAfter);
    }
  }

  settle(): void {
    this.yellowFrom.settle();
    this.redAfter.settle();
  }

  /** Every red one was yellow first (the onset is never after the deadline), hence the subtraction. */
  at(t: number): { open: number; red: number; yellow: number } {
    const red = this.redAfter.countBelow(t);
    return { open: this.open, red, yellow: this.yellowFrom.countAtOrBelow(t) - red };
  }
}

interface AlertEntry extends Thresholds {
  summary: CaseSummary;
}

/** Open cases with a running clock, earliest deadline first (then by id): where the board's alerts come from. */
class AlertOrder {
  private readonly entries = new SortedBuffer<AlertEntry>((a, b) => a.redAfter < b.redAfter || (a.redAfter === b.redAfter && a.summary.id < b.summary.id));

  settle(): void {
    this.entries.values();
  }

  change(entry: AlertEntry, sign: 1 | -1): void {
    if (entry.redAfter === Number.POSITIVE_INFINITY) return;
    if (sign === 1) this.entries.add(entry);
    else this.entries.remove(entry);
  }

  /**
   * The most urgent at `t`: the overdue ones in deadline order, then the yellow ones in deadline
   * order — found by walking on from the first deadline not yet passed until enough are found or
   * none is left (`yellowLeft`, known from the counters), so the walk ends at the last yellow one.
   */
  mostUrgent(t: number, yellowLeft: number): AlertCandidate[] {
    const found: AlertCandidate[] = [];
    const entries = this.entries.values();
    const firstNotRed = partitionPoint(entries, (e) => e.redAfter < t);
    for (let i = 0; i < Math.min(firstNotRed, ALERTS_SHOWN); i++) found.push(candidate(entries[i] as AlertEntry, 'red'));
    let wanted = Math.min(ALERTS_SHOWN - found.length, yellowLeft);
    for (let i = firstNotRed; wanted > 0 && i < entries.length; i++) {
      const entry = entries[i] as AlertEntry;
      if (entry.yellowFrom > t) continue;
      found.push(candidate(entry, 'yellow'));
      wanted -= 1;
    }
    return found;
  }
}

function candidate(entry: AlertEntry, light: AlertCandidate['light']): AlertCandidate {
  return { case: entry.summary, light, due: new Date(entry.redAfter) };
}

/** The open cases of one part of the district (a street's, or those a department was whistled on). */
class BoardCell {
  open = 0;
  hardCases = 0;
  escalated = 0;
  readonly byState = new Map<CaseState, number>();
  readonly categories = new Map<string, number>();
  readonly lights = new LightCounter();
  readonly streets = new Map<string, LightCounter>();
  readonly departments = new Map<string, LightCounter>();
  readonly alerts = new AlertOrder();
  /**
   * For today's figures, instants of every case of the cell (open or not): `reported` (each case's
   * report), `closed` (closed cases' closing), `street:<id>` (reports by street), `dept:<code>` (open
   * cases' reports, once per active assignment) — counted from the day's start at the instant asked.
   */
  readonly days = new Map<string, SortedInstants>();

  settle(): void {
    this.lights.settle();
    for (const counter of [...this.streets.values(), ...this.departments.values()]) counter.settle();
    this.alerts.settle();
    for (const instants of this.days.values()) instants.settle();
  }

  change(c: CaseSummary, rule: LightRule, sign: 1 | -1): void {
    this.open += sign;
    if (c.hardCase) this.hardCases += sign;
    if (c.escalated) this.escalated += sign;
    this.byState.set(c.state, (this.byState.get(c.state) ?? 0) + sign);
    const category = c.category ?? 'other';
    this.categories.set(category, (this.categories.get(category) ?? 0) + sign);
    const th = c.clocks.length === 0 ? NEVER : thresholds(c.clocks, rule);
    this.lights.change(th, sign);
    getOrAdd(this.streets, c.streetId, () => new LightCounter()).change(th, sign);
    for (const a of c.assignments) if (a.active) getOrAdd(this.departments, a.deptCode, () => new LightCounter()).change(thresholds(c.clocks, rule, a.deptCode), sign);
    this.alerts.change({ ...th, summary: c }, sign);
  }
}

/**
 * The board's open-case figures, kept as cases change instead of counted per request: a
 * district's 100,000 open cases make a board in the time of a few binary searches per street
 * and department. Lights change with the clock, not with the cases, so each part keeps the
 * instants its cases turn yellow and red, and counts them at the instant asked. `buildBoard`
 * over the same cases gives the same board (a test holds the two together).
 */
export class BoardTally {
  /** `street:<id>` for each street's open cases, `dept:<code>` for the open cases a department was ever whistled on. */
  private readonly cells = new Map<string, BoardCell>();

  constructor(private readonly rule: LightRule = DEFAULT_LIGHT_RULE) {}

  /** A case's new summary replaces its old one (either may be missing: a new case, a dropped one). */
  replace(previous: CaseSummary | undefined, next: CaseSummary | undefined): void {
    if (previous?.open) this.change(previous, -1);
    if (next?.open) this.change(next, 1);
    this.changeDays(previous, next);
  }

  /** Sorts what was added since the last board (after a load, so that no board waits for it). */
  settle(): void {
    for (const cell of this.cells.values()) cell.settle();
  }

  /** Only what differs between the two versions: most changes of a case leave its instants as they were. */
  private changeDays(previous: CaseSummary | undefined, next: CaseSummary | undefined): void {
    const delta = new Map<string, number>();
    for (const entry of dayEntries(previous)) delta.set(entry, (delta.get(entry) ?? 0) - 1);
    for (const entry of dayEntries(next)) delta.set(entry, (delta.get(entry) ?? 0) + 1);
    for (const [entry, n] of delta) {
      if (n === 0) continue;
      const [cellKey, series, instant] = entry.split('\u0000') as [string, string, string];
      const instants = getOrAdd(this.cell(cellKey).days, series, () => new SortedInstants());
      for (let i = 0; i < Math.abs(n); i++) {
        if (n > 0) instants.add(Number(instant));
        else instants.remove(Number(instant));
      }
    }
  }

  private change(c: CaseSummary, sign: 1 | -1): void {
    for (const key of cellKeys(c)) this.cell(key).change(c, this.rule, sign);
  }

  private cell(key: string): BoardCell {
    return getOrAdd(this.cells, key, () => new BoardCell());
  }

  private cellsFor(scope: Scope): BoardCell[] {
    switch (scope.kind) {
      case 'district': return [...this.cells].filter(([key]) => key.startsWith('street:')).map(([, cell]) => cell);
      case 'streets': return scope.streetIds.flatMap((id) => this.cells.get(`street:${id}`) ?? []);
      case 'department': return [this.cells.get(`dept:${scope.deptCode}`) ?? new BoardCell()];
    }
  }

  /** The board a viewer with `scope` sees at `now`, today beginning at `dayStart`. */
  board(scope: Scope, now: Date, dayStart: Date): Board {
    const t = now.getTime();
    const parts = emptyBoardParts();
    const from = dayStart.getTime();
    const addCounts = (into: Map<string, BoardCount>, counters: Map<string, LightCounter>) => {
      for (const [key, lights] of counters) {
        if (lights.open === 0) continue;
        const at = lights.at(t);
        const row = tally(into, key);
        row.open += at.open;
        row.red += at.red;
        row.yellow += at.yellow;
      }
    };
    for (const cell of this.cellsFor(scope)) {
      parts.open += cell.open;
      parts.hardCases += cell.hardCases;
      parts.escalated += cell.escalated;
      for (const [state, n] of cell.byState) if (n !== 0) parts.byState[state] = (parts.byState[state] ?? 0) + n;
      for (const [category, n] of cell.categories) if (n !== 0) parts.categories.set(category, (parts.categories.get(category) ?? 0) + n);
      const lights = cell.lights.at(t);
      parts.red += lights.red;
      parts.yellow += lights.yellow;
      addCounts(parts.streets, cell.streets);
      addCounts(parts.departments, cell.departments);
      for (const c of cell.alerts.mostUrgent(t, lights.yellow)) keepMostUrgent(parts.alerts, c);
      for (const [series, instants] of cell.days) {
        const n = instants.countAtOrAfter(from);
        if (n === 0) continue;
        if (series === 'reported') parts.todayIntake += n;
        else if (series === 'closed') parts.todayClosed += n;
        else if (series.startsWith('street:')) tally(parts.streets, series.slice('street:'.length)).today += n;
        else if (series.startsWith('dept:')) tally(parts.departments, series.slice('dept:'.length)).today += n;
      }
    }
    return assembleBoard(parts, now);
  }
}

function* dayEntries(c: CaseSummary | undefined): Generator<string> {
  if (!c) return;
  const reported = c.createdAt.getTime();
  for (const cellKey of cellKeys(c)) {
    const entry = (series: string, instant: number) => `${cellKey}\u0000${series}\u0000${instant}`;
    yield entry('reported', reported);
    yield entry(`street:${c.streetId}`, reported);
    if (c.state === 'closed' && c.closedAt) yield entry('closed', c.closedAt.getTime());
    if (c.open) for (const a of c.assignments) if (a.active) yield entry(`dept:${a.deptCode}`, reported);
  }
}

function cellKeys(c: CaseSummary): string[] {
  const keys = [`street:${c.streetId}`];
  for (const a of c.assignments) if (!keys.includes(`dept:${a.deptCode}`)) keys.push(`dept:${a.deptCode}`);
  return keys;
}
