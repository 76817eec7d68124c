import { parserExampleRecorder } from '../commands/parserExamples';
import type { CaseChangeSubscriber } from '../commands/caseSubscribers';
import { loadDistrictSeed } from '../config/district';
import { ParserLearningRepository } from '../store/parserLearningRepository';
import { startParserModelWatcher, type ParserModelWatcher } from './parserModelWatcher';
import type { Infrastructure } from './runtime';

/**
 * Learning from the street: corrections become labelled examples in the store (a subscriber of
 * case changes), and every process (web and worker alike parse messages) installs the district's
 * newest retrained model as it appears.
 */
export function parserLearning(infra: Infrastructure): { subscriber: CaseChangeSubscriber } {
  const learning = new ParserLearningRepository(infra.mongo);
  const watcher: ParserModelWatcher = startParserModelWatcher({
    learning,
    districtId: loadDistrictSeed(infra.env.DISTRICT_CONFIG).district.id,
    intervalMs: infra.env.PARSER_MODEL_POLL_SECONDS * 1000,
    logger: infra.logger.child({ component: 'parser-model' }),
  });
  infra.closeables.push(watcher);
  return { subscriber: parserExampleRecorder(learning) };
}
