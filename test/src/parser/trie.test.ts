import { KeywordTrie } from '../../../src/parser/trie';

const words = (hits: ReadonlyArray<{ word: string; start: number; end: number }>): string[] => hits.map((h) => `${h.word}@${h.start}-${h.end}`);

/** Leftmost-longest, as written down: at each position try every word, keep the longest, move past it. */
function naiveScan(vocab: readonly string[], text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const best = vocab.filter((w) => w.length > 0 && text.startsWith(w, i)).sort((a, b) => b.length - a.length)[0];
    if (best) {
      out.push(`${best}@${i}-${i + best.length}`);
      i += best.length;
    } else {
      i++;
    }
  }
  return out;
}

/** A seeded generator of numbers below n and of strings over `alphabet` (the same on every run). */
function generator(seed: number, alphabet: string): { next: (n: number) => number; pick: (length: number) => string } {
  let state = seed;
  const next = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const pick = (length: number): string => Array.from({ length }, () => alphabet.charAt(next(alphabet.length))).join('');
  return { next, pick };
}

function trieOf(vocab: readonly string[]): KeywordTrie<string> {
  const trie = new KeywordTrie<string>();
  for (const w of vocab) trie.add(w, w);
  return trie;
}

describe('KeywordTrie', () => {
  it('takes the longest word at a position and lets it swallow the overlapping words after it', () => {
    const trie = trieOf(['燃气', '燃气泄漏', '泄漏', '漏水', '水']);
    expect(words(trie.scan('燃气泄漏水'))).toEqual(['燃气泄漏@0-4', '水@4-5']);
    // 燃气泄了 leaves the walk for 燃气泄漏 at 了: it falls back to the longest word it passed (燃气).
    expect(words(trie.scan('燃气泄了漏水'))).toEqual(['燃气@0-2', '漏水@4-6']);
  });

  it('finds words at both ends of the text, a word that is the whole text, and words cut off by the end', () => {
    const trie = trieOf(['井盖', '盖子', '子']);
    expect(words(trie.scan('井盖'))).toEqual(['井盖@0-2']);
    expect(words(trie.scan('井盖和盖子'))).toEqual(['井盖@0-2', '盖子@3-5']);
    expect(words(trie.scan('井'))).toEqual([]);
    expect(trie.matchAt('盖', 0)).toBeNull();
    expect(trie.matchAt('井盖', 2)).toBeNull();
    expect(trie.endAt('和盖子', 1)).toBe(3);
    expect(trie.endAt('和盖子', 0)).toBe(-1);
  });

  it('matches nothing with an empty vocabulary, and ignores the empty word', () => {
    expect(trieOf([]).scan('任何文字')).toEqual([]);
    expect(trieOf(['']).scan('任何文字')).toEqual([]);
    expect(trieOf(['文']).scan('')).toEqual([]);
  });

  it('keeps every value of a word in the order added, and words added after a scan count from then on', () => {
    const trie = new KeywordTrie<number>();
    trie.add('路灯', 1);
    trie.add('路灯', 2);
    expect(trie.matchAt('路灯坏了', 0)?.values).toEqual([1, 2]);
    expect(trie.matchAt('坏了', 0)).toBeNull();
    trie.add('坏了', 3);
    trie.add('路灯坏', 4);
    expect(trie.scan('路灯坏了').map((h) => [h.word, h.values])).toEqual([['路灯坏', [4]]]);
    expect(trie.matchAt('坏了', 0)?.values).toEqual([3]);
  });

  it('tells apart words that share a node but differ in a code unit, across the whole UTF-16 range', () => {
    // Many siblings under one node and many nodes holding the same code unit fill the edge table with near keys.
    const vocab = ['甲a', '甲b', '甲\uffff', '甲\u0000', 'a甲', 'b甲', '\ud83d\ude92', '\ud83d\ude91救护车', ...Array.from({ length: 300 }, (_, i) => `词${String.fromCharCode(0x4e00 + i)}${i % 7}`)];
    const trie = trieOf(vocab);
    const text = `甲c甲b${'\ud83d\ude91救护车'}a甲词${String.fromCharCode(0x4e00 + 299)}5词${String.fromCharCode(0x4e00 + 299)}6\u0000甲\u0000`;
    expect(words(trie.scan(text))).toEqual(naiveScan(vocab, text));
  });

  it('gives the same hits as trying every word at every position, on generated texts', () => {
    const { next, pick } = generator(7, '水管漏了井盖路灯坏');
    const vocab = Array.from({ length: 40 }, () => pick(1 + next(4)));
    const trie = trieOf(vocab);
    for (let t = 0; t < 200; t++) {
      const text = pick(next(30));
      expect(words(trie.scan(text))).toEqual(naiveScan(vocab, text));
    }
  });

  it('tells which words occur anywhere, overlapping and nested ones too, as includes of each word would', () => {
    const trie = trieOf(['燃气', '燃气泄漏', '泄漏', '漏水', '气']);
    expect([...trie.occurring('燃气泄漏水')].sort()).toEqual(['气', '泄漏', '漏水', '燃气', '燃气泄漏'].sort());
    expect([...trie.occurring('漏水')]).toEqual(['漏水']);
    expect([...trie.occurring('水漏')]).toEqual([]);
    expect([...trieOf([]).occurring('燃气泄漏')]).toEqual([]);
    const { next, pick } = generator(11, '学校养老保险规划');
    const vocab = Array.from({ length: 30 }, () => pick(1 + next(3)));
    const generated = trieOf(vocab);
    for (let t = 0; t < 200; t++) {
      const text = pick(next(25));
      expect([...generated.occurring(text)].sort()).toEqual([...new Set(vocab.filter((w) => text.includes(w)))].sort());
    }
  });
});
