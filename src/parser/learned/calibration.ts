/** One prediction scored against the truth: how sure it was, and whether it was right. */
export interface Scored {
  confidence: number;
  correct: boolean;
}

/**
 * Expected calibration error: the gap between confidence and accuracy, averaged over equal-width
 * confidence bins weighted by how many predictions fall in each.
 */
export function expectedCalibrationError(scored: readonly Scored[], bins = 10): number {
  if (scored.length === 0) return 0;
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const right = new Array<number>(bins).fill(0);
  for (const s of scored) {
    const b = Math.min(bins - 1, Math.floor(s.confidence * bins));
    count[b] = (count[b] as number) + 1;
    conf[b] = (conf[b] as number) + s.confidence;
    right[b] = (right[b] as number) + (s.correct ? 1 : 0);
  }
  let sum = 0;
  for (let b = 0; b < bins; b++) {
    const n = count[b] as number;
    if (n > 0) sum += (n / scored.length) * Math.abs((conf[b] as number) / n - (right[b] as number) / n);
  }
  return sum;
}

/**
 * Isotonic (pool-adjacent-violators) map from raw confidence to the observed share right, fitted on
 * predictions for rows the model was not trained on. Stored as knots; applied by linear interpolation.
 */
export interface CalibrationMap {
  /** Raw confidences, increasing. */
  x: number[];
  /** Calibrated confidences, non-decreasing. */
  y: number[];
}

const PRIOR_WEIGHT = 2;

/** A block's share right, shrunk towards its mean raw confidence by PRIOR_WEIGHT pseudo-answers. */
const shrunk = (b: { sum: number; n: number; raw: number }): number => (b.sum + (PRIOR_WEIGHT * b.raw) / b.n) / (b.n + PRIOR_WEIGHT);

export function fitIsotonic(scored: readonly Scored[]): CalibrationMap {
  // Equal confidences start in one block: split across two, they would give one confidence two meanings
  // (with the rules' weight, many messages score 1.0 after rounding).
  const sorted = scored.map((s) => ({ c: round(s.confidence), right: s.correct ? 1 : 0 })).sort((a, b) => a.c - b.c);
  const blocks: Array<{ sum: number; n: number; lo: number; hi: number; raw: number }> = [];
  for (const s of sorted) {
    const last = blocks[blocks.length - 1];
    if (last && last.hi === s.c) {
      last.sum += s.right;
      last.n += 1;
      last.raw += s.c;
    } else {
      blocks.push({ sum: s.right, n: 1, lo: s.c, hi: s.c, raw: s.c });
    }
    while (blocks.length > 1) {
      const top = blocks[blocks.length - 1] as (typeof blocks)[number];
      const prev = blocks[blocks.length - 2] as (typeof blocks)[number];
      // Pooled on shrunk shares (see below), equal ones too, so that a few lucky low scores do not pull
      // the whole range into one block.
      if (shrunk(prev) < shrunk(top)) break;
      blocks.splice(blocks.length - 2, 2, { sum: prev.sum + top.sum, n: prev.n + top.n, lo: prev.lo, hi: top.hi, raw: prev.raw + top.raw });
    }
  }
  const x: number[] = [];
  const y: number[] = [];
  let floor = 0;
  for (const b of blocks) {
    // Shrunk towards the raw confidence by PRIOR_WEIGHT pseudo-answers: where the data are thin (a block of
    // 3 right of 3, or 2 of 3 among the rare low-scoring chat reports) the map stays near the raw value
    // instead of jumping to certainty or lifting a raw 0.2 to 0.6. Kept non-decreasing.
    floor = Math.max(floor, round(shrunk(b)));
    x.push(b.lo, b.hi);
    y.push(floor, floor);
  }
  return { x, y };
}

export function applyCalibration(map: CalibrationMap, confidence: number): number {
  const { x, y } = map;
  if (x.length === 0) return confidence;
  // Below the lowest confidence seen, straight down to 0 (nothing says a lower raw score deserves more).
  if (confidence <= (x[0] as number)) return (x[0] as number) > 0 ? round(((y[0] as number) * confidence) / (x[0] as number)) : (y[0] as number);
  for (let i = 1; i < x.length; i++) {
    const x1 = x[i] as number;
    if (confidence <= x1) {
      const x0 = x[i - 1] as number;
      const y0 = y[i - 1] as number;
      const y1 = y[i] as number;
      return x1 === x0 ? y1 : y0 + ((y1 - y0) * (confidence - x0)) / (x1 - x0);
    }
  }
  return y[y.length - 1] as number;
}

/** Knots to a millionth: raw confidences crowd near 1, where 0.9999 and 0.99999 can mean different things. */
const round = (v: number): number => Math.round(v * 1e6) / 1e6;
