/**
 * jieba's precise cut without HMM (`cut(text, false)`), computed in process from jieba's own dictionary: the
 * same words as @node-rs/jieba gives (a test holds the two to every fixture text and to generated ones), at
 * about half the cost of crossing into the native module and back (~25 against ~50 µs a letter alone).
 *
 * The algorithm is jieba's: each run of Han characters, ASCII letters, digits and +#&._%- is cut along the
 * most probable path through every dictionary word that starts at each character (a word's probability its
 * frequency over the dictionary's total, an unknown character's 1 over it; on a tie the longer word), and
 * single ASCII letters and digits on that path join into one word; outside such runs every character is a
 * word of its own, but for "\r\n".
 */

/** Offsets where one word ends and the next begins (0 and the text's length included), in order. */
export type CutEnds = Int32Array;

const ROOT = 0;
const NOT_A_WORD = Number.NaN;

const isAsciiAlphanumeric = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** What jieba cuts along its dictionary (a code point of its RE_HAN_DEFAULT). */
function inWordRun(c: number): boolean {
  if (c >= 0x20000) return c <= 0x2a6df || (c >= 0x2a700 && c <= 0x2ebef) || (c >= 0x2f800 && c <= 0x2fa1f);
  if (c >= 0x4e00) return c <= 0x9fff || (c >= 0xf900 && c <= 0xfaff);
  if (c >= 0x3400) return c <= 0x4dbf;
  return isAsciiAlphanumeric(c) || c === 43 || c === 35 || c === 38 || c === 46 || c === 95 || c === 37 || c === 45;
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Code units of the character at `i`: 2 for a surrogate pair (an emoji, a rare ideograph), else 1. */
const widthAt = (text: string, i: number): number =>
  isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;

/**
 * The dictionary as a trie over UTF-16 code units: the root's children in a table indexed by code unit (every
 * character starts at the root), deeper edges in one open-addressing hash table, kept at most half full.
 */
class WordTrie {
  private readonly rootChildren = new Int32Array(65536).fill(-1);
  /** Per slot three numbers side by side, so a probe reads one cache line: parent (-1: empty), code unit, child. */
  private edges = new Int32Array(3 << 16).fill(-1);
  private edgeMask = (1 << 16) - 1;
  private edgeShift = 16;
  private edgeCount = 0;
  private nodes = 1;
  /** A node's frequency plus one (0: no word ends there), while loading. */
  private frequencyPlusOne = new Float64Array(1 << 16);

  private slot(parent: number, unit: number): number {
    return (Math.imul(parent, 0x9e3779b1) ^ Math.imul(unit, 0x85ebca77)) >>> this.edgeShift;
  }

  /** The node reached from `parent` by `unit`, or -1. */
  child(parent: number, unit: number): number {
    if (parent === ROOT) return this.rootChildren[unit] as number;
    const edges = this.edges;
    for (let s = this.slot(parent, unit); ; s = (s + 1) & this.edgeMask) {
      const p = edges[3 * s] as number;
      if (p === -1) return -1;
      if (p === parent && edges[3 * s + 1] === unit) return edges[3 * s + 2] as number;
    }
  }

  private childOrNew(parent: number, unit: number): number {
    if (parent === ROOT) {
      const known = this.rootChildren[unit] as number;
      if (known >= 0) return known;
      this.rootChildren[unit] = this.nodes;
      return this.nodes++;
    }
    const known = this.child(parent, unit);
    if (known >= 0) return known;
    if (2 * (this.edgeCount + 1) > this.edgeMask + 1) this.doubleEdges();
    this.insertEdge(parent, unit, this.nodes);
    return this.nodes++;
  }

  private insertEdge(parent: number, unit: number, child: number): void {
    const edges = this.edges;
    let s = this.slot(parent, unit);
    while (edges[3 * s] !== -1) s = (s + 1) & this.edgeMask;
    edges[3 * s] = parent;
    edges[3 * s + 1] = unit;
    edges[3 * s + 2] = child;
    this.edgeCount++;
  }

  private doubleEdges(): void {
    const old = this.edges;
    this.edges = new Int32Array(old.length * 2).fill(-1);
    this.edgeMask = this.edgeMask * 2 + 1;
    this.edgeShift--;
    this.edgeCount = 0;
    for (let s = 0; s < old.length; s += 3) if (old[s] !== -1) this.insertEdge(old[s] as number, old[s + 1] as number, old[s + 2] as number);
  }

  /** Adds (or, as jieba's load_dict does, re-weighs) a word. */
  add(word: string, start: number, end: number, frequency: number): void {
    let node = ROOT;
    for (let i = start; i < end; i++) node = this.childOrNew(node, word.charCodeAt(i));
    if (node >= this.frequencyPlusOne.length) {
      const bigger = new Float64Array(Math.max(node + 1, this.frequencyPlusOne.length * 2));
      bigger.set(this.frequencyPlusOne);
      this.frequencyPlusOne = bigger;
    }
    this.frequencyPlusOne[node] = frequency + 1;
  }

  /** ln(frequency) − ln(total) per node (NaN where no word ends), as jieba scores a word. */
  logProbabilities(): { logTotal: number; byNode: Float64Array } {
    let total = 0;
    for (let n = 0; n < this.nodes; n++) {
      const f = this.frequencyPlusOne[n] as number;
      if (f > 0) total += f - 1;
    }
    const logTotal = Math.log(total);
    const byNode = new Float64Array(this.nodes);
    for (let n = 0; n < this.nodes; n++) {
      const f = this.frequencyPlusOne[n] as number;
      byNode[n] = f > 0 ? Math.log(f - 1) - logTotal : NOT_A_WORD;
    }
    return { logTotal, byNode };
  }
}

/** Lines of `word frequency [tag]`, as jieba's dictionaries are written; a missing frequency is 0. */
function loadLines(trie: WordTrie, text: string): void {
  for (let at = 0; at < text.length; ) {
    let lineEnd = text.indexOf('\n', at);
    if (lineEnd < 0) lineEnd = text.length;
    let i = at;
    while (i < lineEnd && text.charCodeAt(i) <= 32) i++;
    const wordStart = i;
    while (i < lineEnd && text.charCodeAt(i) > 32) i++;
    const wordEnd = i;
    while (i < lineEnd && text.charCodeAt(i) <= 32) i++;
    let frequency = 0;
    for (let d = text.charCodeAt(i) - 48; i < lineEnd && d >= 0 && d <= 9; d = text.charCodeAt(++i) - 48) frequency = frequency * 10 + d;
    if (i < lineEnd && text.charCodeAt(i) > 32) throw new Error(`dictionary cut: line "${text.slice(at, lineEnd)}" has a frequency that is not a whole number`);
    if (wordEnd > wordStart) trie.add(text, wordStart, wordEnd, frequency);
    at = lineEnd + 1;
  }
}

export class DictionaryCut {
  private readonly trie: WordTrie;
  private readonly wordLogProbability: Float64Array;
  private readonly unknownLogProbability: number;
  // Per-cut scratch, grown to the longest text seen: the best path's score from each offset, and where its first word ends.
  private routeScore = new Float64Array(256);
  private routeEnd = new Int32Array(256);
  private ends = new Int32Array(257);

  /** `dictionaries` load in order, a later one re-weighing a word an earlier one has (jieba's loadDict). */
  constructor(dictionaries: readonly string[]) {
    this.trie = new WordTrie();
    for (const dictionary of dictionaries) loadLines(this.trie, dictionary);
    const { logTotal, byNode } = this.trie.logProbabilities();
    this.wordLogProbability = byNode;
    this.unknownLogProbability = -logTotal;
  }

  /** Where the text's words end, in code units (a view of scratch memory, valid until the next cut). */
  cutEnds(text: string): CutEnds {
    const length = text.length;
    if (this.routeScore.length < length + 1) this.grow(length + 1);
    const ends = this.ends;
    let count = 0;
    ends[count++] = 0;
    for (let i = 0; i < length; ) {
      if (inWordRun(text.codePointAt(i) as number)) {
        let runEnd = i + widthAt(text, i);
        while (runEnd < length && inWordRun(text.codePointAt(runEnd) as number)) runEnd += widthAt(text, runEnd);
        count = this.cutRun(text, i, runEnd, ends, count);
        i = runEnd;
      } else {
        i += text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? 2 : widthAt(text, i);
        ends[count++] = i;
      }
    }
    return ends.subarray(0, count);
  }

  /** The text's words, as jieba's cut(text, false) gives them. */
  cut(text: string): string[] {
    const ends = this.cutEnds(text);
    const words = new Array<string>(ends.length - 1);
    for (let w = 1; w < ends.length; w++) words[w - 1] = text.slice(ends[w - 1], ends[w]);
    return words;
  }

  private grow(size: number): void {
    this.routeScore = new Float64Array(size * 2);
    this.routeEnd = new Int32Array(size * 2);
    this.ends = new Int32Array(size * 2 + 1);
  }

  /** Cuts text[start, end) along its most probable path; appends the word ends after `count`, returns the new count. */
  private cutRun(text: string, start: number, end: number, ends: Int32Array, count: number): number {
    const score = this.routeScore;
    const next = this.routeEnd;
    const logP = this.wordLogProbability;
    score[end] = 0;
    for (let i = end - 1; i >= start; i--) {
      let best = -Infinity;
      let bestEnd = -1;
      let node = ROOT;
      for (let j = i; j < end; j++) {
        node = this.trie.child(node, text.charCodeAt(j));
        if (node < 0) break;
        const p = logP[node] as number;
        if (p !== p) continue;
        const s = p + (score[j + 1] as number);
        // >=: on a tie the longer word, as jieba's max_by keeps the last of equal candidates.
        if (s >= best) {
          best = s;
          bestEnd = j + 1;
        }
      }
      if (bestEnd < 0) {
        bestEnd = i + widthAt(text, i);
        best = this.unknownLogProbability + (score[bestEnd] as number);
      }
      score[i] = best;
      next[i] = bestEnd;
    }
    let letters = false;
    // Single ASCII letters and digits on the path join into one word (jieba's cut_dag_no_hmm).
    for (let x = start; x < end; ) {
      const y = next[x] as number;
      if (y === x + 1 && isAsciiAlphanumeric(text.charCodeAt(x))) {
        letters = true;
      } else {
        if (letters) ends[count++] = x;
        letters = false;
        ends[count++] = y;
      }
      x = y;
    }
    if (letters) ends[count++] = end;
    return count;
  }
}
