import type { ParsedReport } from './types';

/** Our category codes mapped to the tipdm data set's 7 coarse labels (config/parser/coarse-labels.json). */
export interface CoarseTable {
  labels: readonly string[];
  map: Readonly<Record<string, string>>;
}

/** For a model trained before its own minimum was fitted (`coarseAnswer` in the model file). */
export const DEFAULT_MAPPED_MIN_PROBABILITY = 0.15;

/**
 * The coarse label for a message: its category's label, unless the coarse-answer model (trained on the data set
 * itself) gives that label less than `mappedMinProbability`; then, and for `other`, that model's own.
 */
export function coarseAnswer(
  category: string,
  map: Readonly<Record<string, string>>,
  coarse: { label: string; probabilityOf: (label: string) => number },
  mappedMinProbability: number,
): string {
  const mapped = map[category];
  if (mapped !== undefined && coarse.probabilityOf(mapped) >= mappedMinProbability) return mapped;
  return coarse.label;
}

/** The parser's answer on the data set's 7 labels (the category's label alone when no model spoke). */
export function coarseLabelOf(parsed: ParsedReport, table: CoarseTable, mappedMinProbability = DEFAULT_MAPPED_MIN_PROBABILITY): string | null {
  const model = parsed.model;
  if (!model) return table.map[parsed.category] ?? null;
  return coarseAnswer(parsed.category, table.map, { label: model.coarseLabel, probabilityOf: (label) => model.coarse[label] ?? 0 }, mappedMinProbability);
}
