import type { Logger } from '../infra/logger';
import { activeModelVersion, installModel, parserModelSchema } from '../src/parser';
import type { ParserLearningRepository } from '../store/parserLearningRepository';
import type { Closeable } from './closeables';

export interface ParserModelWatcher extends Closeable {
  /** Looks for a newer model now; resolves to the version in use afterwards. */
  refresh(): Promise<string>;
}

/**
 * Picks up a district's retrained parser model without a restart: every `intervalMs` it asks the store
 * for the newest version and, when that is not the one in use, loads and installs it. A model that does
 * not load is logged and skipped: the parser keeps the one it has.
 */
export function startParserModelWatcher(options: {
  learning: Pick<ParserLearningRepository, 'latestVersion' | 'model'>;
  districtId: string;
  intervalMs: number;
  logger: Logger;
}): ParserModelWatcher {
  const { learning, districtId, logger } = options;
  let skipped: string | null = null;
  let running: Promise<string> | null = null;

  async function check(): Promise<string> {
    const latest = await learning.latestVersion(districtId);
    if (!latest || latest.version === activeModelVersion() || latest.version === skipped) return activeModelVersion();
    const stored = await learning.model(districtId, latest.version);
    if (!stored) return activeModelVersion();
    try {
      const started = Date.now();
      const version = installModel(parserModelSchema.parse(JSON.parse(stored.model)));
      logger.info({ districtId, version, loadMs: Date.now() - started, metrics: stored.metrics }, 'parser model installed');
    } catch (error) {
      skipped = latest.version;
      logger.error({ err: error, districtId, version: latest.version }, 'parser model does not load; keeping the one in use');
    }
    return activeModelVersion();
  }

  function refresh(): Promise<string> {
    running ??= check().finally(() => {
      running = null;
    });
    return running;
  }

  const timer = setInterval(() => {
    refresh().catch((error: unknown) => logger.warn({ err: error, districtId }, 'looking for a newer parser model failed'));
  }, options.intervalMs);
  timer.unref();
  void refresh().catch((error: unknown) => logger.warn({ err: error, districtId }, 'looking for a newer parser model failed'));
  return {
    name: 'parser model watcher',
    refresh,
    close: async () => {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
