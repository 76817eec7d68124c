import { mulberry32 } from './learned/train';

/**
 * How much a labelled set of a few hundred rows can tell: one letter of the 253-letter holdout is 0.4 %, one of
 * its 98 covered letters 1 %. Figures are printed with these intervals so that a move inside them is read as noise.
 */
export interface Interval {
  low: number;
  high: number;
}

const Z95 = 1.959964;

/** The 95 % Wilson score interval of a share (`right` of `of`): sound at the ends, where 0.97 or 1.0 sits. */
export function wilsonInterval(right: number, of: number, z = Z95): Interval {
  if (of === 0) return { low: 0, high: 1 };
  const p = right / of;
  const z2 = z * z;
  const centre = (p + z2 / (2 * of)) / (1 + z2 / of);
  const half = (z * Math.sqrt((p * (1 - p)) / of + z2 / (4 * of * of))) / (1 + z2 / of);
  // At 0 and at `of` the bounds are exactly 0 and 1; rounding would leave 0.9999999999999999.
  return { low: right === 0 ? 0 : Math.max(0, centre - half), high: right === of ? 1 : Math.min(1, centre + half) };
}

/**
 * The 95 % interval of accuracy(a) / accuracy(b) for two answers to the same rows (`a[i]`: a was right on row i),
 * by paired bootstrap: rows are drawn together, so what counts is where the two differ, not each one's own noise.
 * Deterministic for a seed.
 */
export function pairedRatioInterval(a: readonly boolean[], b: readonly boolean[], rounds = 2000, seed = 1): Interval {
  if (a.length !== b.length) throw new Error(`paired answers differ in length: ${a.length} and ${b.length}`);
  const n = a.length;
  if (n === 0) return { low: 1, high: 1 };
  const random = mulberry32(seed);
  const ratios = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) {
    let rightA = 0;
    let rightB = 0;
    for (let i = 0; i < n; i++) {
      const row = Math.floor(random() * n);
      if (a[row]) rightA++;
      if (b[row]) rightB++;
    }
    ratios[r] = rightB === 0 ? (rightA === 0 ? 1 : Infinity) : rightA / rightB;
  }
  ratios.sort();
  const at = (q: number): number => ratios[Math.min(rounds - 1, Math.max(0, Math.round(q * (rounds - 1))))] as number;
  return { low: at(0.025), high: at(0.975) };
}

/** `0.786 (77/98; 95 % 0.694–0.857)` */
export function formatShare(right: number, of: number): string {
  const { low, high } = wilsonInterval(right, of);
  return `${(of === 0 ? 1 : right / of).toFixed(3)} (${right}/${of}; 95 % ${low.toFixed(3)}–${high.toFixed(3)})`;
}
