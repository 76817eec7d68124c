import { parserExampleRecorder } from '../commands/parserExamples';
import type { CaseChangeSubscriber } from '../commands/caseSubscribers';
import { loadDistrictSeed } from '../config/district';
import { ParserLearningRepository } from '../store/parserLearningRepository';
import { startParserModelWatcher, type ParserModelWatcher } from './parserModelWatcher';
import type { AppModule, Infrastructure } from './runtime';

export interface ParserLearningModule extends AppModule {
  /** Keeps every dispatcher correction of a case as a labelled example. */
  subscribers(infra: Infrastructure): CaseChangeSubscriber[];
}

/**
 * Learning from the street: corrections become labelled examples in the store, and every process
 * (web and worker alike parse messages) installs the district's newest retrained model as it appears.
 */
export function parserLearningModule(): ParserLearningModule {
  let watcher: ParserModelWatcher | undefined;
  const watch = (infra: Infrastructure): void => {
    if (watcher) return;
    watcher = startParserModelWatcher({
      learning: new ParserLearningRepository(infra.mongo),
      districtId: loadDistrictSeed(infra.env.DISTRICT_CONFIG).district.id,
      intervalMs: infra.env.PARSER_MODEL_POLL_SECONDS * 1000,
      logger: infra.logger.child({ component: 'parser-model' }),
    });
    infra.closeables.push(watcher);
  };
  return {
    subscribers: (infra) => [parserExampleRecorder(new ParserLearningRepository(infra.mongo))],
    startWorkers: async (infra) => {
      watch(infra);
      return [];
    },
    routers: (infra) => {
      watch(infra);
      return [];
    },
  };
}
