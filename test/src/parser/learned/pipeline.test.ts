import { coarseAnswer } from '../../../../src/parser/coarse';
import { autoDispatchOn, fitCoarseAnswer } from '../../../../src/parser/learned/pipeline';

describe('the auto-dispatch threshold', () => {
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

describe('how the coarse labels are answered', () => {
  const labels = ['城乡建设', '环境保护', '交通运输'];
  const map = { road: '交通运输', noise: '环境保护', drainage: '城乡建设' };
  const letter = (category: string, truth: string | undefined, p: number[]) => ({
    category,
    row: { truth: category, group: 'real', letter: true, weighs: true, p: new Float64Array(0), rules: { category, confidence: 0 }, ...(truth && { coarse: { truth, p } }) },
  });

  it("keeps the category's label unless the coarse model all but rules it out, then answers the coarse model's own", () => {
    const coarse = (probability: number) => ({ label: '城乡建设', probabilityOf: (l: string) => (l === '交通运输' ? probability : 0.5) });
    expect(coarseAnswer('road', map, coarse(0.3), 0.3)).toBe('交通运输');
    expect(coarseAnswer('road', map, coarse(0.29), 0.3)).toBe('城乡建设');
    expect(coarseAnswer('other', map, coarse(0.9), 0)).toBe('城乡建设');
  });

  it('fits the minimum most often right out of fold, the lowest on a tie, and counts only letters with a coarse label', () => {
    const decided = [
      // The category is right here although the coarse model gives its label only 0.2…
      letter('road', '交通运输', [0.7, 0.1, 0.2]),
      // …and wrong in these two, where the coarse model gives it 0.4 and 0.45 and is right itself.
      letter('noise', '城乡建设', [0.55, 0.4, 0.05]),
      letter('drainage', '环境保护', [0.45, 0.5, 0.05]),
      letter('road', '交通运输', [0.1, 0.1, 0.8]),
      letter('road', undefined, [0.9, 0.05, 0.05]),
    ];
    const fitted = fitCoarseAnswer(labels, map, decided);
    // Minimum ≤ 0.2: 2 right of 4; 0.25–0.4: 1 (the 0.2 one lost); from 0.45: 2 of 4 again, from 0.5: 3 of 4.
    expect(fitted).toEqual({ mappedMinProbability: 0.5, accuracy: 0.75, modelAlone: 0.75, rows: 4 });
    expect(fitCoarseAnswer(labels, map, [letter('road', undefined, [1, 0, 0])])).toBeNull();
  });
});
