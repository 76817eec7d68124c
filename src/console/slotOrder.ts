import { TypedFastBitSet } from 'typedfastbitset';
import { mergeSorted, partitionPoint } from './collections';
import type { CaseSummary } from './summary';

export type Compare = (a: CaseSummary, b: CaseSummary) => number;

/** Below this many slots waiting, each is put in place by binary search; above, they are sorted and merged in. */
const INSERT_ONE_BY_ONE = 64;

/**
 * The slots of the cases an order `holds`, sorted by `compare` (a total order: ties broken by id),
 * kept as the cases change. A slot that joins waits until the next read (so that a load of
 * 1,000,000 cases sorts once); one that leaves, or whose key changed, is taken out by binary search
 * on the key it was sorted by — so a case whose deadline moves costs a search and a move, not a sort.
 */
export class SlotOrder {
  private slots: number[] = [];
  private pending: number[] = [];
  /** The slots in `pending` that still belong there (a slot taken out again before the read is only unmarked). */
  private readonly waiting = new TypedFastBitSet();

  constructor(
    private readonly compare: Compare,
    private readonly caseAt: (slot: number) => CaseSummary | undefined,
    private readonly holds: (c: CaseSummary) => boolean = () => true,
  ) {}

  /** The case at `slot` was `previous` and is now `next` (either missing: a new case, a dropped one). */
  changed(slot: number, previous: CaseSummary | undefined, next: CaseSummary | undefined): void {
    const was = previous !== undefined && this.holds(previous);
    const is = next !== undefined && this.holds(next);
    if (was && is && this.compare(previous, next) === 0) return;
    if (was) this.remove(slot, previous);
    if (is && !this.waiting.has(slot)) {
      this.waiting.add(slot);
      this.pending.push(slot);
    }
  }

  private remove(slot: number, sortedAs: CaseSummary): void {
    if (this.waiting.has(slot)) {
      this.waiting.remove(slot);
      return;
    }
    const at = partitionPoint(this.slots, (s) => this.compare(s === slot ? sortedAs : this.at(s), sortedAs) < 0);
    if (this.slots[at] === slot) this.slots.splice(at, 1);
  }

  private at(slot: number): CaseSummary {
    return this.caseAt(slot) as CaseSummary;
  }

  private compareSlots = (a: number, b: number): number => this.compare(this.at(a), this.at(b));

  /** The slots in order. */
  ordered(): readonly number[] {
    if (this.pending.length === 0) return this.slots;
    const incoming = this.pending.filter((slot) => {
      if (!this.waiting.has(slot)) return false;
      this.waiting.remove(slot);
      return true;
    });
    this.pending = [];
    incoming.sort(this.compareSlots);
    const last = this.slots.at(-1);
    const first = incoming[0];
    if (first === undefined) return this.slots;
    if (last === undefined || this.compareSlots(last, first) <= 0) for (const slot of incoming) this.slots.push(slot);
    else if (incoming.length < INSERT_ONE_BY_ONE) {
      for (const slot of incoming) this.slots.splice(partitionPoint(this.slots, (s) => this.compareSlots(s, slot) < 0), 0, slot);
    } else this.slots = mergeSorted(this.slots, incoming, this.compareSlots);
    return this.slots;
  }
}
