/** A longest-match keyword table: scanning is linear in the text and independent of the table size. */
export interface TrieHit<T> {
  start: number;
  end: number;
  word: string;
  values: readonly T[];
}

const EMPTY = -1;
const NONE = -1;

/**
 * Words are added into a tree of nodes (numbered, the root 0) whose edges are UTF-16 code units. For reading,
 * every edge sits in one open-addressing table keyed by (node, code unit) in typed arrays: a step down the
 * tree is a multiply, a shift and a compare or two, instead of a Map lookup per node.
 */
export class KeywordTrie<T> {
  /** Per node: the values of the words ending there, or null. */
  private readonly values: Array<T[] | null> = [null];
  /** The edges as added: (node << 16 | code unit) → child. Turned into the table below on the first read. */
  private readonly edges = new Map<number, number>();
  private edgeNodes = new Int32Array(0);
  private edgeCodes = new Int32Array(0);
  private edgeChildren = new Int32Array(0);
  private shift = 32;
  private mask = 0;
  /** Per node, 1 when a word ends there: what a walk asks at every step, denser than `values`. */
  private ends = new Uint8Array(0);
  /** Whether words were added since the table was built. */
  private stale = true;
  /**
   * One bit per UTF-16 code unit: whether some word starts with it. Most characters of a text start no word,
   * and a bit test turns them away without a table lookup.
   */
  private readonly starts = new Int32Array(0x10000 >>> 5);

  add(word: string, value: T): void {
    if (word.length === 0) return;
    const first = word.charCodeAt(0);
    this.starts[first >>> 5] = (this.starts[first >>> 5] as number) | (1 << (first & 31));
    let current = 0;
    for (let i = 0; i < word.length; i++) {
      const key = current * 0x10000 + word.charCodeAt(i);
      let next = this.edges.get(key);
      if (next === undefined) {
        next = this.values.length;
        this.values.push(null);
        this.edges.set(key, next);
      }
      current = next;
    }
    (this.values[current] ??= []).push(value);
    this.stale = true;
  }

  /** End of the longest word starting at `start`, or -1. */
  endAt(text: string, start: number): number {
    return this.longestAt(text, start).end;
  }

  /** Longest match starting at `start`, or null. */
  matchAt(text: string, start: number): TrieHit<T> | null {
    const { end, node } = this.longestAt(text, start);
    if (end < 0) return null;
    return { start, end, word: text.slice(start, end), values: this.values[node] as T[] };
  }

  /** Leftmost-longest, non-overlapping hits: a longer phrase swallows the shorter words inside it. */
  scan(text: string): TrieHit<T>[] {
    const hits: TrieHit<T>[] = [];
    let i = 0;
    while (i < text.length) {
      const hit = this.matchAt(text, i);
      if (hit) {
        hits.push(hit);
        i = hit.end;
      } else {
        i++;
      }
    }
    return hits;
  }

  /**
   * The values of every word that occurs anywhere in `text`, overlapping ones included (what `text.includes`
   * of each word would tell), found in one walk from each position.
   */
  occurring(text: string): Set<T> {
    const out = new Set<T>();
    for (let start = 0; start < text.length; start++) {
      const first = text.charCodeAt(start);
      if (((this.starts[first >>> 5] as number) & (1 << (first & 31))) === 0) continue;
      if (this.stale) this.build();
      let node = 0;
      for (let i = start; i < text.length; i++) {
        node = this.child(node, text.charCodeAt(i));
        if (node === NONE) break;
        if (this.ends[node] === 1) for (const value of this.values[node] as T[]) out.add(value);
      }
    }
    return out;
  }

  private readonly found = { end: NONE, node: 0 };

  /** The longest word at `start`: its end (-1 for none) and node, in a record reused from call to call. */
  private longestAt(text: string, start: number): { end: number; node: number } {
    const found = this.found;
    found.end = NONE;
    if (start >= text.length) return found;
    const first = text.charCodeAt(start);
    if (((this.starts[first >>> 5] as number) & (1 << (first & 31))) === 0) return found;
    if (this.stale) this.build();
    let node = 0;
    for (let i = start; i < text.length; i++) {
      node = this.child(node, text.charCodeAt(i));
      if (node === NONE) break;
      if (this.ends[node] === 1) {
        found.end = i + 1;
        found.node = node;
      }
    }
    return found;
  }

  private child(node: number, code: number): number {
    let slot = this.slotOf(node, code);
    for (;;) {
      const held = this.edgeNodes[slot] as number;
      if (held === EMPTY) return NONE;
      if (held === node && this.edgeCodes[slot] === code) return this.edgeChildren[slot] as number;
      slot = (slot + 1) & this.mask;
    }
  }

  private slotOf(node: number, code: number): number {
    return Math.imul(Math.imul(node, 0x9e3779b1) ^ code, 0x85ebca6b) >>> this.shift;
  }

  /** The edge table at most half full, so that a probe ends at an empty slot after a step or two. */
  private build(): void {
    let capacity = 16;
    while (capacity < this.edges.size * 2) capacity *= 2;
    this.edgeNodes = new Int32Array(capacity).fill(EMPTY);
    this.edgeCodes = new Int32Array(capacity);
    this.edgeChildren = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.shift = 32 - Math.log2(capacity);
    for (const [key, child] of this.edges) {
      const node = Math.floor(key / 0x10000);
      const code = key - node * 0x10000;
      let slot = this.slotOf(node, code);
      while (this.edgeNodes[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.edgeNodes[slot] = node;
      this.edgeCodes[slot] = code;
      this.edgeChildren[slot] = child;
    }
    this.ends = Uint8Array.from(this.values, (values) => (values === null ? 0 : 1));
    this.stale = false;
  }
}
