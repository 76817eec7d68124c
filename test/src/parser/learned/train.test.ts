import { fitTemperature, mulberry32, trainSoftmax, trainSquaredHinge, type SparseRow } from '../../../../src/parser/learned/train';

describe('softmax training', () => {
  it('learns a separable problem and returns label-major weights', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ index: [i % 2, 2], values: 1, y: i % 2, weight: 1 }));
    const { w, bias } = trainSoftmax(rows, 3, 2, { epochs: 20, learningRate: 0.5, l2: 0, seed: 1 });
    const score = (k: number, feature: number): number => (w[k * 3 + feature] as number) + (w[k * 3 + 2] as number) + (bias[k] as number);
    expect(score(0, 0)).toBeGreaterThan(score(1, 0));
    expect(score(1, 1)).toBeGreaterThan(score(0, 1));
  });
});

describe('squared-hinge SVM training', () => {
  /** A small noisy three-class problem over 6 features, seeded. */
  function problem(n: number, seed: number): SparseRow[] {
    const random = mulberry32(seed);
    return Array.from({ length: n }, (_, i) => {
      const y = i % 3;
      const index = [y, 3 + Math.floor(random() * 3), 3 + ((y + 1) % 3)];
      const values = index.map(() => 0.2 + random());
      return { index, values, y, weight: 1 };
    });
  }
  const dot = (w: Float32Array, bias: Float64Array, k: number, row: SparseRow, width: number): number => {
    let s = bias[k] as number;
    for (let i = 0; i < row.index.length; i++) s += (w[k * width + (row.index[i] as number)] as number) * ((row.values as number[])[i] as number);
    return s;
  };
  /** LinearSVC's primal for class k: ½‖w‖² + ½b² + C Σ weight·max(0, 1 − y(w·x + b))². */
  const primal = (w: Float32Array, bias: Float64Array, k: number, rows: readonly SparseRow[], width: number, c: number): number => {
    let sum = 0.5 * (bias[k] as number) ** 2;
    for (let f = 0; f < width; f++) sum += 0.5 * (w[k * width + f] as number) ** 2;
    for (const row of rows) {
      const y = row.y === k ? 1 : -1;
      sum += c * row.weight * Math.max(0, 1 - y * dot(w, bias, k, row, width)) ** 2;
    }
    return sum;
  };

  it('separates what a line separates, label-major as softmax training returns it', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ index: [i % 2, 2], values: 1, y: i % 2, weight: 1 }));
    const { w, bias } = trainSquaredHinge(rows, 3, 2, { c: 10, maxEpochs: 200, seed: 1 });
    const score = (k: number, feature: number): number => (w[k * 3 + feature] as number) + (w[k * 3 + 2] as number) + (bias[k] as number);
    expect(score(0, 0)).toBeGreaterThan(0.9);
    expect(score(1, 0)).toBeLessThan(-0.9);
    expect(score(1, 1)).toBeGreaterThan(0.9);
    expect(score(0, 1)).toBeLessThan(-0.9);
  });

  it('reaches the minimum of the primal objective: every small step away from it costs more', () => {
    const rows = problem(60, 3);
    const c = 0.7;
    const { w, bias } = trainSquaredHinge(rows, 6, 3, { c, maxEpochs: 100000, seed: 2, tolerance: 1e-9 });
    const random = mulberry32(9);
    for (let k = 0; k < 3; k++) {
      const best = primal(w, bias, k, rows, 6, c);
      for (let trial = 0; trial < 30; trial++) {
        const w2 = Float32Array.from(w);
        const b2 = Float64Array.from(bias);
        for (let f = 0; f < 6; f++) w2[k * 6 + f] = (w2[k * 6 + f] as number) + (random() - 0.5) * 0.05;
        b2[k] = (b2[k] as number) + (random() - 0.5) * 0.05;
        expect(primal(w2, b2, k, rows, 6, c)).toBeGreaterThan(best - 1e-9);
      }
    }
  });

  it('lets a heavier row pull the boundary towards fitting it', () => {
    const rows: SparseRow[] = [
      { index: [0], values: [1], y: 0, weight: 1 },
      { index: [0], values: [1], y: 1, weight: 1 },
    ];
    const even = trainSquaredHinge(rows, 1, 2, { c: 1, maxEpochs: 100000, seed: 1, tolerance: 1e-9 });
    const heavy = trainSquaredHinge([rows[0] as SparseRow, { ...(rows[1] as SparseRow), weight: 5 }], 1, 2, { c: 1, maxEpochs: 100000, seed: 1, tolerance: 1e-9 });
    const margin = (m: { w: Float32Array; bias: Float64Array }): number => (m.w[1] as number) + (m.bias[1] as number) - ((m.w[0] as number) + (m.bias[0] as number));
    expect(Math.abs(margin(even))).toBeLessThan(1e-6);
    expect(margin(heavy)).toBeGreaterThan(0.1);
  });

  it('gives the same weights for the same seed', () => {
    const rows = problem(30, 5);
    const a = trainSquaredHinge(rows, 6, 3, { c: 1, maxEpochs: 50, seed: 4 });
    const b = trainSquaredHinge(rows, 6, 3, { c: 1, maxEpochs: 50, seed: 4 });
    expect([...a.w]).toEqual([...b.w]);
    expect([...a.bias]).toEqual([...b.bias]);
  });
});

describe('temperature fitting', () => {
  it('recovers the temperature the labels were drawn with', () => {
    const random = mulberry32(11);
    const drawnWith = 2.5;
    const scores: Float64Array[] = [];
    const truth: number[] = [];
    for (let n = 0; n < 4000; n++) {
      const s = Float64Array.from({ length: 3 }, () => random() * 2 - 1);
      const p = [...s].map((v) => Math.exp(drawnWith * v));
      const total = p.reduce((a, b) => a + b, 0);
      let u = random() * total;
      let y = 0;
      while (y < 2 && u > (p[y] as number)) u -= p[y++] as number;
      scores.push(s);
      truth.push(y);
    }
    const fitted = fitTemperature(scores, truth);
    expect(fitted).toBeGreaterThan(2.1);
    expect(fitted).toBeLessThan(2.9);
  });

  it('sharpens scores that always pick the truth and flattens scores that never do', () => {
    const scores = [Float64Array.from([1, 0]), Float64Array.from([0, 1])];
    // Right every time, the loss falls towards 0 as t grows, until it no longer changes in floating point.
    expect(fitTemperature(scores, [0, 1])).toBeGreaterThan(20);
    expect(fitTemperature(scores, [1, 0])).toBeLessThan(0.05);
  });
});
