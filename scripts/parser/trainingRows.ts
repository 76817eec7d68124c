import { createParser, defaultSegmenter, type Parser } from '../../src/parser';
import { ActionabilityExplainer } from '../../src/parser/actionability';
import type { RulesVerdict } from '../../src/parser/learned/combine';
import type { LabelledText } from '../../src/parser/learned/pipeline';
import { defaultVocab } from '../../src/parser/vocab';
import { gridTune, realSegmented, realTune } from './data';

/** The parser with the rules alone: what the learned model is combined with. */
export const rulesParser: Parser = createParser(defaultVocab, undefined, defaultSegmenter);
const explainer = new ActionabilityExplainer(defaultVocab.actionability);

export function rulesVerdict(text: string): RulesVerdict {
  const parsed = rulesParser.parseReport({ text });
  return {
    category: parsed.category,
    confidence: parsed.evidence.category.length > 0 ? parsed.confidence : 0,
    matter: explainer.opensWithMatter(text),
  };
}

/**
 * The base model's fine rows: labelled dev tune rows (real letters), the grid-style tuning set and the
 * vocabulary's examples, normalised and without repeats. Never a holdout row.
 */
export function baseFineRows(): LabelledText[] {
  const seen = new Set<string>();
  const rows: LabelledText[] = [];
  const add = (text: string, category: string, group: string, extra: Partial<LabelledText> = {}): void => {
    const normalised = rulesParser.normalize(text);
    if (seen.has(normalised)) return;
    seen.add(normalised);
    rows.push({ text: normalised, category, group, ...extra });
  };
  for (const r of realTune()) add(r.text, r.category, 'real', { coarse: r.coarse });
  for (const r of realSegmented()) add(r.text, r.category, 'segmented', { letter: true, weighs: false, weight: 1 });
  for (const r of gridTune()) add(r.text, r.category, 'grid');
  for (const r of defaultVocab.examples) add(r.text, r.category, 'grid');
  return rows;
}
