import { bucketCounts, gramHashes } from '../../../../src/parser/learned/features';

describe('learned model features', () => {
  it('reads words beside character n-grams only when its spec asks for them', () => {
    const text = '卖狗肉';
    const chars = { buckets: 1 << 16, maxGram: 3 };
    const grams = gramHashes(text, 3, ['卖', '狗肉']);
    expect(bucketCounts(grams, chars).size).toBe(bucketCounts(text, chars).size);
    const withWords = bucketCounts(grams, { ...chars, words: true });
    const withPairs = bucketCounts(grams, { ...chars, words: true, wordPairs: true });
    expect(withWords.size).toBeGreaterThan(bucketCounts(text, chars).size);
    expect(withPairs.size).toBe(withWords.size + 1);
    // 狗 as a word of its own is a different feature from 狗 inside 狗肉.
    const dog = bucketCounts(gramHashes('卖狗', 3, ['卖', '狗']), { ...chars, words: true });
    const dogMeat = bucketCounts(gramHashes('卖狗', 3, ['卖狗']), { ...chars, words: true });
    expect([...dog.keys()].sort()).not.toEqual([...dogMeat.keys()].sort());
  });

  it('leaves word pairs out when asked, and a model that reads no pairs sees the same features either way', () => {
    const text = '小区门口卖狗肉的摊位占道经营';
    const words = ['小区', '门口', '卖', '狗肉', '的', '摊位', '占道', '经营'];
    const all = gramHashes(text, 3, words);
    const withoutPairs = gramHashes(text, 3, words, false);
    expect(all.length - withoutPairs.length).toBe(words.length - 1);
    const wordsSpec = { buckets: 1 << 16, maxGram: 3, words: true };
    expect([...bucketCounts(withoutPairs, wordsSpec)]).toEqual([...bucketCounts(all, wordsSpec)]);
    expect(bucketCounts(withoutPairs, { ...wordsSpec, wordPairs: true }).size).toBeLessThan(bucketCounts(all, { ...wordsSpec, wordPairs: true }).size);
  });

  it("puts a gram in bucket ⌊hash / 8⌋ mod buckets, whether or not the bucket count is a power of two (the trained models' mapping)", () => {
    const grams = gramHashes('小区门口卖狗肉', 3);
    for (const buckets of [1 << 17, 1 << 18, 100_003]) {
      const expected = new Map<number, number>();
      for (const coded of grams) {
        const bucket = Math.floor(coded / 8) % buckets;
        expected.set(bucket, (expected.get(bucket) ?? 0) + 1);
      }
      expect(bucketCounts(grams, { buckets, maxGram: 3 })).toEqual(expected);
    }
  });
});
