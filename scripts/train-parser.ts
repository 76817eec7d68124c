/**
 * npm run parser:train — trains the learned part of the parser from the labelled examples kept in the
 * repository and writes config/parser/model.json:
 *   - coarse model: the tipdm `train_seg` rows (the data set's 7 labels; none of them is a dev or eval row);
 *   - coarse-answer model: the same rows, squared-hinge SVMs (what answers the 7 labels, src/parser/coarse.ts);
 *   - fine model (our category codes): the labelled dev rows of test/fixtures/tipdm-dev-tune.jsonl, the
 *     grid-style test/fixtures/parser-messages.jsonl and config/parser/examples.json;
 *   - the rule/model combination and the calibration, fitted on out-of-fold predictions.
 * Never read: the tipdm eval rows, test/fixtures/tipdm-dev-holdout.jsonl, parser-holdout.jsonl, the grid
 * urgency set. `-- --reuse-coarse` keeps the committed coarse and coarse-answer models (faster). `-- --district <id>` retrains
 * that district's model from its dispatchers' corrections instead (scripts/parser/retrainDistrict.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import coarseTable from '../config/parser/coarse-labels.json';
import type { ParserModelData } from '../src/parser/learned/model';
import { trainParserModel } from '../src/parser/learned/pipeline';
import { CATEGORY_CODES } from '../src/taxonomy';
import { repoRoot, tipdmTrainSeg } from './parser/data';
import { retrainDistrictFromStore } from './parser/retrainDistrict';
import { baseFineRows, rulesParser, rulesVerdict } from './parser/trainingRows';

function trainBase(): void {
  const fineRows = baseFineRows();
  const started = Date.now();
  const out = join(repoRoot, 'config', 'parser', 'model.json');
  const reuse = process.argv.includes('--reuse-coarse') && existsSync(out);
  const committed = reuse ? (JSON.parse(readFileSync(out, 'utf8')) as ParserModelData) : undefined;
  const coarse = committed?.coarse;
  const coarseAnswerModel = committed?.coarseAnswer?.model;
  // Reusing both, no train_seg row is read; a committed model without a coarse-answer model gets one trained.
  const coarseRows = coarse && coarseAnswerModel ? [] : tipdmTrainSeg().map((r) => ({ text: rulesParser.normalize(r.text), label: r.label }));
  const trained = trainParserModel({
    coarseRows,
    ...(coarse && { coarse }),
    ...(coarseAnswerModel && { coarseAnswerModel }),
    fineRows,
    coarseMap: coarseTable.map,
    labels: CATEGORY_CODES,
    rules: rulesVerdict,
    version: 'base',
    now: new Date(),
    log: (line) => console.log(line),
  });
  // Named for what it is: the same rows with other features or weighing give another version.
  const digest = createHash('sha256').update(JSON.stringify({ ...trained, version: '', trainedAt: '' })).digest('hex').slice(0, 10);
  const model: ParserModelData = { ...trained, version: `base-${digest}` };
  writeFileSync(out, `${JSON.stringify(model)}\n`);
  console.log(`wrote ${out} (${model.version}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(JSON.stringify(model.metrics));
}

const district = process.argv.indexOf('--district');
if (district >= 0) {
  const id = process.argv[district + 1];
  if (!id || id.startsWith('--')) {
    console.error('usage: npm run parser:train -- --district <district id>  (with MONGODB_URI set)');
    process.exit(2);
  }
  retrainDistrictFromStore(id).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
} else {
  trainBase();
}
