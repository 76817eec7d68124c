import { baseModel, createParser, defaultSegmenter, LearnedClassifier, parserModelSchema } from '../../src/parser';
import { retrainDistrictModel } from '../../src/parser/learned/district';
import type { ParserModelData } from '../../src/parser/learned/model';
import { defaultVocab } from '../../src/parser/vocab';
import { CATEGORY_CODES } from '../../src/taxonomy';
import { connectMongo } from '../../store/connection';
import { ParserLearningRepository } from '../../store/parserLearningRepository';
import { baseFineRows, rulesParser, rulesVerdict } from './trainingRows';

export const REFUSED_EXIT_CODE = 3;

/**
 * `npm run parser:train -- --district <id>`: retrains the district's model from the corrections in the
 * store, checks it on held-back corrections against the model in use, and saves it only when it does
 * not score worse. Running services pick the saved model up by themselves (app/parserModelWatcher.ts).
 */
export async function retrainDistrictFromStore(districtId: string, uri = process.env.MONGODB_URI): Promise<number> {
  if (!uri) throw new Error('MONGODB_URI is not set: point it at the store the service uses (the corrections are kept there)');
  const connection = await connectMongo(uri);
  try {
    const learning = new ParserLearningRepository(connection);
    const examples = await learning.examplesOf(districtId);
    const latest = await learning.latestVersion(districtId);
    const stored = latest ? await learning.model(districtId, latest.version) : null;
    const current: ParserModelData = stored ? parserModelSchema.parse(JSON.parse(stored.model)) : baseModel();
    const classifier = new LearnedClassifier(current);
    const now = new Date();
    const result = retrainDistrictModel({
      current,
      baseRows: baseFineRows(),
      examples,
      normalize: (text) => rulesParser.normalize(text),
      rules: rulesVerdict,
      categoryWith: (model) => {
        const parser = createParser(defaultVocab, model, defaultSegmenter);
        return (text) => parser.parseReport({ text }).category;
      },
      ranked: (text) => {
        const p = classifier.modelProbabilities(text);
        return classifier.labels.map((label, k) => [label, p[k] as number] as const).sort((a, b) => b[1] - a[1]).map(([label]) => label);
      },
      labels: CATEGORY_CODES,
      version: `${districtId}-${now.toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}`,
      now,
      log: (line) => console.log(line),
    });
    console.log(`district ${districtId}: ${examples.length} corrections, ${result.trainedOn} trained on, ${result.heldBack} held back; current model ${current.version}`);
    if (!result.accepted || !result.model) {
      console.log(`REFUSED: ${result.reason}`);
      return REFUSED_EXIT_CODE;
    }
    await learning.saveModel({
      districtId,
      version: result.model.version,
      createdAt: now,
      model: JSON.stringify(result.model),
      metrics: { heldBack: result.heldBack, trainedOn: result.trainedOn, heldBackAccuracy: result.newScore, previousHeldBackAccuracy: result.currentScore },
    });
    console.log(`saved ${result.model.version}: ${result.reason}; running services install it within PARSER_MODEL_POLL_SECONDS`);
    return 0;
  } finally {
    await connection.close();
  }
}
