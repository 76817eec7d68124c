/**
 * npm run parser:train — trains the learned part of the parser from the labelled examples kept in the
 * repository and writes config/parser/model.json:
 *   - coarse model: the tipdm `train_seg` rows (the data set's 7 labels; none of them is a dev or eval row);
 *   - fine model (our category codes): the labelled dev rows of test/fixtures/tipdm-dev-tune.jsonl, the
 *     grid-style test/fixtures/parser-messages.jsonl and config/parser/examples.json;
 *   - the rule/model combination and the calibration, fitted on out-of-fold predictions.
 * Never read: the tipdm eval rows, test/fixtures/tipdm-dev-holdout.jsonl, parser-holdout.jsonl, the grid
 * urgency set. `-- --district <code>` retrains a district's model from dispatcher corrections instead
 * (see scripts/parser/retrainDistrict.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createParser, defaultSegmenter } from '../src/parser';
import { ActionabilityExplainer } from '../src/parser/actionability';
import type { ParserModelData } from '../src/parser/learned/model';
import { trainParserModel, type LabelledText } from '../src/parser/learned/pipeline';
import { defaultVocab } from '../src/parser/vocab';
import { CATEGORY_CODES } from '../src/taxonomy';
import { gridTune, realTune, repoRoot, tipdmTrainSeg } from './parser/data';

function main(): void {
  if (process.argv.includes('--district')) {
    require('./parser/retrainDistrict');
    return;
  }
  const rules = createParser(defaultVocab, undefined, defaultSegmenter);
  const explainer = new ActionabilityExplainer(defaultVocab.actionability);
  const seen = new Set<string>();
  const fineRows: LabelledText[] = [];
  const add = (text: string, category: string, group: string): void => {
    const normalised = rules.normalize(text);
    if (seen.has(normalised)) return;
    seen.add(normalised);
    fineRows.push({ text: normalised, category, group });
  };
  for (const r of realTune()) add(r.text, r.category, 'real');
  for (const r of gridTune()) add(r.text, r.category, 'grid');
  for (const r of defaultVocab.examples) add(r.text, r.category, 'grid');
  const started = Date.now();
  const out = join(repoRoot, 'config', 'parser', 'model.json');
  // --reuse-coarse keeps the committed coarse model (it depends on train_seg alone) to iterate faster.
  const reuse = process.argv.includes('--reuse-coarse') && existsSync(out);
  const coarse = reuse ? (JSON.parse(readFileSync(out, 'utf8')) as ParserModelData).coarse : undefined;
  const coarseRows = reuse ? [] : tipdmTrainSeg().map((r) => ({ text: rules.normalize(r.text), label: r.label }));
  const digest = createHash('sha256')
    .update(JSON.stringify(fineRows))
    .update(String(coarseRows.length || 'reused'))
    .digest('hex')
    .slice(0, 10);
  const model = trainParserModel({
    coarseRows,
    coarse,
    fineRows,
    labels: CATEGORY_CODES,
    rules: (text) => {
      const parsed = rules.parseReport({ text });
      return {
        category: parsed.category,
        confidence: parsed.evidence.category.length > 0 ? parsed.confidence : 0,
        matter: explainer.opensWithMatter(text),
      };
    },
    version: `base-${digest}`,
    now: new Date(),
    log: (line) => console.log(line),
  });
  writeFileSync(out, `${JSON.stringify(model)}\n`);
  console.log(`wrote ${out} (${model.version}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(JSON.stringify(model.metrics));
}

main();
