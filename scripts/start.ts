import { join } from 'node:path';
import { main } from '../app/main';
import { ensureServices } from './services/ensure';
import { SetupError } from './services/process';

/**
 * `npm start`: makes sure Redis and a MongoDB-protocol store answer (REDIS_URL / MONGODB_URI, or
 * local ones it starts and keeps in .data/ for next time), then runs the app in this process.
 */
async function start(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[setup] ${line}\n`);
  const services = await ensureServices({
    dataDir: join(__dirname, '../.data/services'),
    redisUrl: process.env.REDIS_URL || undefined,
    mongodbUri: process.env.MONGODB_URI || undefined,
    log,
  });
  process.env.REDIS_URL = services.redisUrl;
  process.env.MONGODB_URI = services.mongodbUri;
  log(`Redis at ${services.redisUrl}; MongoDB protocol at ${services.mongodbUri} (stop them with: npm run services:stop)`);
  await main();
}

start().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${error instanceof SetupError ? 'set-up failed' : 'start failed'}: ${message}\n`);
  process.exit(1);
});
