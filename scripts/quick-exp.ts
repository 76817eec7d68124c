import { parseReport } from '../src/parser';
import { measureReal, formatRealMeasures } from '../src/parser/realEvaluation';
import { realHoldout, realTune } from '../scripts/parser/data';
console.log(formatRealMeasures('holdout', measureReal(realHoldout(), (t) => parseReport({ text: t }), 0.6)));
console.log(formatRealMeasures('tune', measureReal(realTune(), (t) => parseReport({ text: t }), 0.6)).split('\n').slice(0, 10).join('\n'));
