import type { Connection } from 'mongoose';
import type { Logger } from '../infra/logger';
import { measureStoreLoad, type StoreCapacityOptions, type StoreLoad } from '../store/storeCapacity';

const EVERY_MS = 10 * 60_000;

export interface StoreCapacityWatch {
  /** The last measure (undefined until the first one answered). */
  latest(): StoreLoad | undefined;
  close(): Promise<void>;
}

/**
 * Measures how full the store is at start and every ten minutes: a warning in the logs when it
 * nears the default store's ceiling, and the same in /readyz's details and on the command centre.
 */
export async function watchStoreCapacity(mongo: Connection, options: StoreCapacityOptions, logger: Logger): Promise<StoreCapacityWatch> {
  let latest: StoreLoad | undefined;
  const measure = async (): Promise<void> => {
    try {
      const load = await measureStoreLoad(mongo, options);
      if (load.level !== 'ok' && load.level !== latest?.level) logger.warn({ store: load }, `store capacity: ${load.advice ?? load.level}`);
      latest = load;
    } catch (error) {
      logger.warn({ err: error }, 'store capacity: measuring failed; will try again in ten minutes');
    }
  };
  await measure();
  const timer = setInterval(() => void measure(), EVERY_MS);
  timer.unref();
  return { latest: () => latest, close: async () => clearInterval(timer) };
}
