import { main } from '../app/main';
import { servicesDir } from './services/dirs';
import { ensureServices } from './services/ensure';
import { SetupError } from './services/process';

/**
 * `npm start`: makes sure Redis and a MongoDB-protocol store answer (REDIS_URL / MONGODB_URI, or
 * local ones it starts and keeps in .data/ for next time), then runs the app in this process.
 */
async function start(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[setup] ${line}\n`);
  const services = await ensureServices({
    dataDir: servicesDir(),
    redisUrl: process.env.REDIS_URL || undefined,
    mongodbUri: process.env.MONGODB_URI || undefined,
    log,
    ...(process.env.FERRETDB_START_TIMEOUT_MS && { ferretdbStartTimeoutMs: Number(process.env.FERRETDB_START_TIMEOUT_MS) }),
  });
  process.env.REDIS_URL = services.redisUrl;
  process.env.MONGODB_URI = services.mongodbUri;
  log(`Redis at ${services.redisUrl}; MongoDB protocol at ${services.mongodbUri} (stop them with: npm run services:stop)`);
  await main();
}

start().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${error instanceof SetupError ? 'set-up failed' : 'start failed'}: ${message}\n`);
  process.stderr.write(`Local servers it started are recorded in ${servicesDir()}/services.json: the next npm start reuses them, npm run services:stop stops them.\n`);
  process.exit(1);
});
