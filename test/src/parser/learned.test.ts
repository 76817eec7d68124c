import { applyCalibration, fitIsotonic } from '../../../src/parser/learned/calibration';
import { bucketCounts, gramHashes } from '../../../src/parser/learned/features';
import { autoDispatchOn } from '../../../src/parser/learned/pipeline';
import { trainSoftmax } from '../../../src/parser/learned/train';

describe('the learned model: features, training, calibration', () => {
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

  it('learns a separable problem and returns label-major weights', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ index: [i % 2, 2], values: 1, y: i % 2, weight: 1 }));
    const { w, bias } = trainSoftmax(rows, 3, 2, { epochs: 20, learningRate: 0.5, l2: 0, seed: 1 });
    const score = (k: number, feature: number): number => (w[k * 3 + feature] as number) + (w[k * 3 + 2] as number) + (bias[k] as number);
    expect(score(0, 0)).toBeGreaterThan(score(1, 0));
    expect(score(1, 1)).toBeGreaterThan(score(0, 1));
  });

  it('gives equal raw confidences one calibrated meaning', () => {
    // 1.0 reached by 8 right answers and 2 wrong ones, 0.5 by one right and one wrong.
    const scored = [
      ...Array.from({ length: 8 }, () => ({ confidence: 1, correct: true })),
      ...Array.from({ length: 2 }, () => ({ confidence: 1, correct: false })),
      { confidence: 0.5, correct: true },
      { confidence: 0.5, correct: false },
    ];
    const map = fitIsotonic(scored);
    expect(applyCalibration(map, 1)).toBeCloseTo(8.5 / 11, 4);
    expect(applyCalibration(map, 0.5)).toBeCloseTo(1.5 / 3, 4);
    for (let i = 1; i < map.y.length; i++) expect(map.y[i] as number).toBeGreaterThanOrEqual(map.y[i - 1] as number);
  });

  it('picks the auto-dispatch threshold with the highest share right that still dispatches 60% of covered messages', () => {
    const row = (confidence: number, correct: boolean) => ({ confidence, correct, dispatched: true, covered: true });
    const scored = [row(0.95, true), row(0.9, true), row(0.85, true), row(0.8, false), row(0.7, true), row(0.6, false), row(0.55, true), row(0.52, false), row(0.51, true), row(0.5, true)];
    // At 0.85 every dispatched one is right, but only 3 of 10 go out; from 0.53 up to 0.55, 5 of 7 are right and 7 of 10 go out.
    const chosen = autoDispatchOn(scored);
    expect(chosen.threshold).toBe(0.53);
    expect(chosen.precision).toBeCloseTo(5 / 7, 4);
    expect(chosen.coverage).toBeCloseTo(0.7, 4);
  });
});
