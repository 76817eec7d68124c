import { join } from 'node:path';
import { ensureServices } from '../../scripts/services/ensure';
import { ensureChromium } from './chromium';

/**
 * Starts the real Redis and MongoDB-protocol (FerretDB) servers every test talks to, or uses
 * REDIS_URL / MONGODB_URI when they are set. Each run gets its own data folder, so two runs on
 * one machine never share or delete each other's servers.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = join(__dirname, '../../.data', `test-${process.pid}`);
  const services = await ensureServices({
    dataDir,
    redisUrl: process.env.REDIS_URL || undefined,
    mongodbUri: process.env.MONGODB_URI || undefined,
    log: (line) => process.stderr.write(`[test services] ${line}\n`),
    stopStartedOnFailure: true,
  });
  process.env.REDIS_URL = services.redisUrl;
  process.env.MONGODB_URI = services.mongodbUri;
  process.env.WHISTLEBOT_TEST_PIDS = services.startedPids.join(',');
  process.env.WHISTLEBOT_TEST_DATA_DIR = dataDir;
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
  // Installed here, outside any test's time limit; the browser test reports it if this failed.
  try {
    ensureChromium();
  } catch (error) {
    process.stderr.write(`[test services] ${(error as Error).message}\n`);
  }
}
