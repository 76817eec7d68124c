import type { ParsedReport } from './types';

/** Our category codes mapped to the tipdm data set's 7 coarse labels (config/parser/coarse-labels.json). */
export interface CoarseTable {
  labels: readonly string[];
  map: Readonly<Record<string, string>>;
}

/** The mapped label must not be one the coarse model all but rules out (chosen on the dev tune rows). */
const MAPPED_MIN_PROBABILITY = 0.15;

/**
 * The parser's answer on the data set's 7 labels: the label of its category, unless the coarse model
 * (trained on the data set itself) finds that label unlikely; for `other`, the coarse model's own label.
 */
export function coarseLabelOf(parsed: ParsedReport, table: CoarseTable): string | null {
  const mapped = table.map[parsed.category];
  const model = parsed.model;
  if (!model) return mapped ?? null;
  if (mapped !== undefined && (model.coarse[mapped] ?? 0) >= MAPPED_MIN_PROBABILITY) return mapped;
  return model.coarseLabel;
}
