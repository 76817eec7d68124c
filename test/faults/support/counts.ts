import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a fault test counted: the figures README's "Faults" table quotes. */
export interface FaultCounts {
  fault: string;
  /** Callbacks (or messages) handed to us, and how many of them we acknowledged. */
  received: number;
  acknowledged?: number;
  /** Events the worker recorded handled in the store. */
  processed?: number;
  /** Distinct messages that reached the fake WeChat Work, and deliveries in all. */
  sent: number;
  deliveries: number;
  /** Deliveries beyond the first of a message. */
  duplicates: number;
  /** Messages caught in the documented window (accepted by WeChat Work, ledger not yet written). */
  inWindow: number;
  /** Anything else worth quoting (refused tries that the sender retried, seconds of downtime…). */
  notes?: Record<string, number | string>;
}

/** Kept in test-artifacts/faults/ (not committed) and printed as one line, for README's table. */
export function reportCounts(counts: FaultCounts): void {
  const dir = join(__dirname, '../../../test-artifacts/faults');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${counts.fault}.json`), `${JSON.stringify(counts, null, 2)}\n`);
  process.stderr.write(`[faults] ${JSON.stringify(counts)}\n`);
}

/** How often each key occurs: the number of distinct keys and the repeats beyond the first. */
export function tally(keys: readonly string[]): { distinct: number; duplicates: number; repeated: string[] } {
  const seen = new Map<string, number>();
  for (const key of keys) seen.set(key, (seen.get(key) ?? 0) + 1);
  const repeated = [...seen].filter(([, n]) => n > 1).map(([key]) => key);
  return { distinct: seen.size, duplicates: keys.length - seen.size, repeated: repeated.sort() };
}
