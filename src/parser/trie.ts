/** A longest-match keyword table: scanning is linear in the text and independent of the table size. */
export interface TrieHit<T> {
  start: number;
  end: number;
  word: string;
  values: readonly T[];
}

interface TrieNode<T> {
  /** Keyed by UTF-16 code unit (a number key is cheaper to hash than a one-character string). */
  children: Map<number, TrieNode<T>>;
  values: T[] | null;
}

function node<T>(): TrieNode<T> {
  return { children: new Map(), values: null };
}

export class KeywordTrie<T> {
  private readonly root: TrieNode<T> = node<T>();
  /**
   * One bit per UTF-16 code unit: whether some word starts with it. Most characters of a text start no word,
   * and a bit test turns them away without a Map lookup.
   */
  private readonly starts = new Int32Array(0x10000 >>> 5);

  add(word: string, value: T): void {
    if (word.length === 0) return;
    const first = word.charCodeAt(0);
    this.starts[first >>> 5] = (this.starts[first >>> 5] as number) | (1 << (first & 31));
    let current = this.root;
    for (let i = 0; i < word.length; i++) {
      const ch = word.charCodeAt(i);
      let next = current.children.get(ch);
      if (!next) {
        next = node<T>();
        current.children.set(ch, next);
      }
      current = next;
    }
    (current.values ??= []).push(value);
  }

  /** Longest match starting at `start`, or null. */
  matchAt(text: string, start: number): TrieHit<T> | null {
    if (start >= text.length) return null;
    const first = text.charCodeAt(start);
    if (((this.starts[first >>> 5] as number) & (1 << (first & 31))) === 0) return null;
    let current: TrieNode<T> | undefined = this.root.children.get(text.charCodeAt(start));
    let bestEnd = -1;
    let bestValues: T[] | null = null;
    for (let i = start + 1; current; i++) {
      if (current.values) {
        bestEnd = i;
        bestValues = current.values;
      }
      if (i >= text.length) break;
      current = current.children.get(text.charCodeAt(i));
    }
    if (!bestValues) return null;
    return { start, end: bestEnd, word: text.slice(start, bestEnd), values: bestValues };
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
}
