import { formatShare, pairedRatioInterval, wilsonInterval } from '../../../src/parser/uncertainty';

describe('wilsonInterval', () => {
  it('matches the published Wilson interval (Newcombe 1998, table I: 81/263 → 0.2553–0.3662)', () => {
    const { low, high } = wilsonInterval(81, 263);
    expect(low).toBeCloseTo(0.2553, 4);
    expect(high).toBeCloseTo(0.3662, 4);
  });

  it('stays inside 0..1 at the ends, where a share of 1.0 from few rows still leaves room below', () => {
    const all = wilsonInterval(10, 10);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(0.7225, 4);
    const none = wilsonInterval(0, 10);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.2775, 4);
  });

  it('narrows as rows are added', () => {
    const small = wilsonInterval(77, 98);
    const large = wilsonInterval(770, 980);
    expect(large.high - large.low).toBeLessThan((small.high - small.low) / 2);
  });

  it('says nothing is known of no rows', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe('pairedRatioInterval', () => {
  const rows = (pattern: string): boolean[] => [...pattern].map((c) => c === '1');

  it('is exactly 1 when both answers are right on the same rows', () => {
    const same = rows('1101101111011101');
    expect(pairedRatioInterval(same, same)).toEqual({ low: 1, high: 1 });
  });

  it('lies above 1 when one answer is right wherever the other is and on more rows besides', () => {
    const better = rows('1'.repeat(90) + '0'.repeat(10));
    const worse = rows('1'.repeat(70) + '0'.repeat(30));
    const { low, high } = pairedRatioInterval(better, worse);
    expect(low).toBeGreaterThan(1.1);
    expect(high).toBeLessThan(1.5);
    expect(low).toBeLessThan(90 / 70);
    expect(high).toBeGreaterThan(90 / 70);
  });

  it('spans 1 when the two answers trade a few rows either way', () => {
    const a = rows('10'.repeat(5) + '1'.repeat(90));
    const b = rows('01'.repeat(5) + '1'.repeat(90));
    const { low, high } = pairedRatioInterval(a, b);
    expect(low).toBeLessThan(1);
    expect(high).toBeGreaterThan(1);
  });

  it('draws the same rows for the same seed', () => {
    const a = rows('1011011101110110111011101');
    const b = rows('1101101110111011011101110');
    expect(pairedRatioInterval(a, b, 500, 9)).toEqual(pairedRatioInterval(a, b, 500, 9));
  });

  it('refuses answers to different rows', () => {
    expect(() => pairedRatioInterval([true], [true, false])).toThrow('differ in length');
  });
});

describe('formatShare', () => {
  it('prints the share, its count and its interval', () => {
    expect(formatShare(77, 98)).toBe('0.786 (77/98; 95 % 0.695–0.855)');
  });
});
