import type { CaseSummary } from './summary';

interface KeptCount {
  matches: (c: CaseSummary) => boolean;
  count: number;
}

/**
 * The counts of the searches asked lately, kept as cases change: a search's first count reads its
 * postings (a pass over 1,000,000 bits, or its reporting window), and from then on each case that
 * changes adds or takes one from every kept count it enters or leaves — so the count of a list
 * paged, refreshed or asked again costs nothing, however many cases match. The least recently asked
 * are forgotten past `capacity`.
 */
export class FilterCounts {
  private readonly kept = new Map<string, KeptCount>();

  constructor(private readonly capacity = 128) {}

  /** The count kept under `key`, or `countNow()` kept from now on (`matches` telling a case it counts). */
  count(key: string, matches: (c: CaseSummary) => boolean, countNow: () => number): number {
    const known = this.kept.get(key);
    if (known) {
      this.kept.delete(key);
      this.kept.set(key, known);
      return known.count;
    }
    const count = countNow();
    this.kept.set(key, { matches, count });
    if (this.kept.size > this.capacity) this.kept.delete(this.kept.keys().next().value as string);
    return count;
  }

  /** A case was `previous` and is now `next` (either missing: a new case, a dropped one). */
  changed(previous: CaseSummary | undefined, next: CaseSummary | undefined): void {
    for (const kept of this.kept.values()) {
      kept.count += (next !== undefined && kept.matches(next) ? 1 : 0) - (previous !== undefined && kept.matches(previous) ? 1 : 0);
    }
  }
}
