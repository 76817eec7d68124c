import { applyCalibration, fitIsotonic } from '../../../../src/parser/learned/calibration';

describe('isotonic calibration', () => {
  it('gives equal raw confidences one calibrated meaning', () => {
    // 1.0 reached by 8 right answers and 2 wrong ones, 0.5 by one right and one wrong.
    const scored = [
      ...Array.from({ length: 8 }, () => ({ confidence: 1, correct: true })),
      ...Array.from({ length: 2 }, () => ({ confidence: 1, correct: false })),
      { confidence: 0.5, correct: true },
      { confidence: 0.5, correct: false },
    ];
    const map = fitIsotonic(scored);
    // Each block's share right, shrunk towards its raw confidence by two pseudo-answers.
    expect(applyCalibration(map, 1)).toBeCloseTo((8 + 2) / 12, 4);
    expect(applyCalibration(map, 0.5)).toBeCloseTo((1 + 1) / 4, 4);
    for (let i = 1; i < map.y.length; i++) expect(map.y[i] as number).toBeGreaterThanOrEqual(map.y[i - 1] as number);
  });

  it('keeps thin evidence near the raw confidence, and a raw score below any seen low', () => {
    // The few low-scoring answers happened to be right: that does not make a raw 0.3 worth 0.75.
    const scored = [
      { confidence: 0.3, correct: true },
      { confidence: 0.35, correct: true },
      ...Array.from({ length: 20 }, (_, i) => ({ confidence: 0.99, correct: i < 19 })),
    ];
    const map = fitIsotonic(scored);
    expect(applyCalibration(map, 0.3)).toBeLessThan(0.75);
    expect(applyCalibration(map, 0.1)).toBeLessThan(applyCalibration(map, 0.3));
    expect(applyCalibration(map, 0.99)).toBeGreaterThan(0.9);
  });
});
