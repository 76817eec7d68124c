import { autoDispatchOn } from '../../../../src/parser/learned/pipeline';

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
