import { trainSoftmax } from '../../../../src/parser/learned/train';

describe('softmax training', () => {
  it('learns a separable problem and returns label-major weights', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ index: [i % 2, 2], values: 1, y: i % 2, weight: 1 }));
    const { w, bias } = trainSoftmax(rows, 3, 2, { epochs: 20, learningRate: 0.5, l2: 0, seed: 1 });
    const score = (k: number, feature: number): number => (w[k * 3 + feature] as number) + (w[k * 3 + 2] as number) + (bias[k] as number);
    expect(score(0, 0)).toBeGreaterThan(score(1, 0));
    expect(score(1, 1)).toBeGreaterThan(score(0, 1));
  });
});
