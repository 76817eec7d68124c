/**
 * npm run parser:eval [-- --errors] [-- file.jsonl ...]
 * Every figure of issue #13's table on the sets we can see, with per-category confusion:
 *   - real messages: the labelled tipdm dev holdout (test/fixtures/tipdm-dev-holdout.jsonl, never trained or
 *     tuned on); the tune rows are shown too, marked as trained on;
 *   - grid-style urgency set (test/fixtures/parser-grid-urgency.jsonl): emergencies caught, calm ones called
 *     emergency;
 *   - the grid-style labelled sets (parser-messages = tuning, parser-holdout = not tuned on), as before.
 * The 7-coarse-label comparison with the TF-IDF + logistic-regression baseline is `npm run bench:parser-baseline`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { activeModelVersion, baseModel, normalizeReportText, parseReport } from '../src/parser';
import { evaluate, formatEvaluation, type LabelledMessage } from '../src/parser/evaluation';
import { formatCount, formatRealMeasures, measureReal } from '../src/parser/realEvaluation';
import { defaultRoutingTable } from '../src/routing/defaults';
import { fixture, gridUrgency, realHoldout, realTune, repoRoot } from './parser/data';

const args = process.argv.slice(2);
const showErrors = args.includes('--errors');
const files = args.filter((a) => !a.startsWith('--'));
const parse = (text: string) => parseReport({ text });
const threshold = defaultRoutingTable().confidenceThreshold;

function gridSets(paths: string[]): void {
  for (const file of paths) {
    const rows = readFileSync(resolve(repoRoot, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as LabelledMessage);
    const result = evaluate(rows, parse, normalizeReportText);
    console.log(formatEvaluation(file, result));
    if (showErrors) {
      console.log('\nmisses:');
      for (const m of result.misses) console.log(`  [${m.field}] ${m.text}\n      expected ${m.expected ?? 'null'}, got ${m.got ?? 'null'}`);
    }
    console.log('');
  }
}

if (files.length > 0) {
  gridSets(files);
} else {
  console.log(`model ${activeModelVersion()} (trained ${baseModel().trainedAt}); auto-dispatch threshold ${threshold} (config/routing.json)`);
  console.log(`model's own out-of-fold figures: ${JSON.stringify(baseModel().metrics)}`);
  console.log('shares are printed as value (right/of; 95 % Wilson interval): a move inside the interval is noise\n');
  const holdout = measureReal(realHoldout(), parse, threshold);
  console.log(formatRealMeasures('test/fixtures/tipdm-dev-holdout.jsonl (labelled dev rows, never trained or tuned on)', holdout));
  if (showErrors) {
    for (const row of realHoldout()) {
      const got = parse(row.text);
      if (got.category !== row.category) console.log(`  expected ${row.category}, got ${got.category} (${got.confidence}): ${row.text.slice(0, 60)}`);
    }
  }
  console.log('auto-dispatch at other thresholds (share right / covered messages dispatched without a person):');
  for (const t of [0.7, 0.8, 0.9, 0.95]) {
    const m = measureReal(realHoldout(), parse, t);
    console.log(`  ≥ ${t.toFixed(2)}: ${formatCount(m.counts.autoPrecision)} / ${formatCount(m.counts.autoCoverage)}`);
  }
  console.log('');
  const tune = measureReal(realTune(), parse, threshold);
  console.log(formatRealMeasures('test/fixtures/tipdm-dev-tune.jsonl (TRAINED ON: shows fit, not generalisation)', tune).split('\n').slice(0, 9).join('\n'));
  console.log('');
  const urgencyRows = gridUrgency();
  const emergencies = urgencyRows.filter((r) => r.urgency === 'emergency');
  const calm = urgencyRows.filter((r) => r.urgency !== 'emergency');
  const caught = emergencies.filter((r) => parse(r.text).urgency === 'emergency');
  const falseAlarms = calm.filter((r) => parse(r.text).urgency === 'emergency');
  console.log(`== ${fixture('parser-grid-urgency.jsonl').replace(`${repoRoot}/`, '')}: grid-style messages written apart, not tuned on`);
  console.log(`grid-style messages: emergencies caught              ${caught.length} of ${emergencies.length} = ${(caught.length / emergencies.length).toFixed(3)}   (target ≥ 0.95)`);
  console.log(`  calm messages called emergency                    ${falseAlarms.length} of ${calm.length} = ${(falseAlarms.length / calm.length).toFixed(3)}   (target ≤ 0.02)`);
  if (showErrors) {
    for (const r of emergencies.filter((e) => !caught.includes(e))) console.log(`  missed emergency: ${r.text}`);
    for (const r of falseAlarms) console.log(`  false alarm: ${r.text}`);
  }
  console.log('');
  gridSets(['test/fixtures/parser-messages.jsonl', 'test/fixtures/parser-holdout.jsonl']);
}
