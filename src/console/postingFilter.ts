import type { TypedFastBitSet } from 'typedfastbitset';

/** The set bits of a 32-bit word. */
function bitCount(word: number): number {
  let w = word - ((word >>> 1) & 0x55555555);
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * A conjunction of postings, asked without building it: a slot matches when it is in one posting of
 * every clause and in none of `excluded`. Asking one slot costs a bit test per posting, so a search
 * walks an order and tests each slot instead of intersecting 1,000,000-bit sets; counting and
 * listing go word by word (32 slots a step) without a set of their own.
 */
export class PostingFilter {
  constructor(private readonly clauses: readonly (readonly TypedFastBitSet[])[], private readonly excluded: readonly TypedFastBitSet[]) {
    if (clauses.length === 0) throw new Error('a posting filter needs a clause (the live slots, when the search has none)');
  }

  has(slot: number): boolean {
    for (const clause of this.clauses) {
      let any = false;
      for (const posting of clause) if (posting.has(slot)) { any = true; break; }
      if (!any) return false;
    }
    for (const posting of this.excluded) if (posting.has(slot)) return false;
    return true;
  }

  private wordCount(): number {
    return Math.min(...this.clauses.map((clause) => Math.max(0, ...clause.map((posting) => posting.words.length))));
  }

  /** The matching slots of the 32 from `32 × k`, as the bits of one word. */
  private word(k: number): number {
    let word = -1;
    for (const clause of this.clauses) {
      let any = 0;
      for (const posting of clause) any |= posting.words[k] ?? 0;
      word &= any;
      if (word === 0) return 0;
    }
    for (const posting of this.excluded) word &= ~(posting.words[k] ?? 0);
    return word;
  }

  count(): number {
    let total = 0;
    for (let k = 0, n = this.wordCount(); k < n; k++) total += bitCount(this.word(k));
    return total;
  }

  /** Every matching slot, ascending. */
  *slots(): Generator<number> {
    for (let k = 0, n = this.wordCount(); k < n; k++) {
      let word = this.word(k);
      while (word !== 0) {
        const lowest = word & -word;
        yield (k << 5) + bitCount(lowest - 1);
        word ^= lowest;
      }
    }
  }
}
