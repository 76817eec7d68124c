import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from './process';
import { mongoAnswers, startFerretdb } from './ferretdb';
import { redisAnswers, startRedisServer } from './redis';

export interface EnsuredServices {
  redisUrl: string;
  mongodbUri: string;
  /** pids of servers this call started (so a caller that owns them can stop them). */
  startedPids: number[];
}

interface StateFile {
  redis?: { url: string; pid: number };
  mongo?: { uri: string; pid: number };
}

function readState(file: string): StateFile {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StateFile;
  } catch {
    return {};
  }
}

/**
 * Makes sure a Redis and a MongoDB-protocol server answer: the ones named by REDIS_URL and
 * MONGODB_URI when they answer, else ones started earlier from `dataDir` when still alive,
 * else fresh local ones (redis-server, FerretDB) in `dataDir`.
 */
export async function ensureServices(options: {
  dataDir: string;
  redisUrl?: string;
  mongodbUri?: string;
  log?: (line: string) => void;
}): Promise<EnsuredServices> {
  const log = options.log ?? (() => undefined);
  mkdirSync(options.dataDir, { recursive: true });
  const stateFile = join(options.dataDir, 'services.json');
  const state = existsSync(stateFile) ? readState(stateFile) : {};
  const startedPids: number[] = [];

  let redisUrl = options.redisUrl;
  if (redisUrl && !(await redisAnswers(redisUrl))) {
    throw new Error(`REDIS_URL=${redisUrl} does not answer. Start that Redis, or unset REDIS_URL to let whistlebot start its own.`);
  }
  if (!redisUrl && state.redis && isAlive(state.redis.pid) && (await redisAnswers(state.redis.url))) redisUrl = state.redis.url;
  if (!redisUrl) {
    const redis = await startRedisServer({ dir: join(options.dataDir, 'redis'), log });
    log(`started redis-server at ${redis.url}`);
    state.redis = { url: redis.url, pid: redis.pid };
    startedPids.push(redis.pid);
    redisUrl = redis.url;
  }

  let mongodbUri = options.mongodbUri;
  if (mongodbUri && !(await mongoAnswers(mongodbUri))) {
    throw new Error(`MONGODB_URI=${mongodbUri.replace(/\/\/[^@]*@/, '//***@')} does not answer. Start that server, or unset MONGODB_URI to let whistlebot start FerretDB.`);
  }
  if (!mongodbUri && state.mongo && isAlive(state.mongo.pid) && (await mongoAnswers(state.mongo.uri))) mongodbUri = state.mongo.uri;
  if (!mongodbUri) {
    const ferret = await startFerretdb({ dir: join(options.dataDir, 'ferretdb'), log });
    log(`started FerretDB at ${ferret.uri}`);
    state.mongo = { uri: ferret.uri, pid: ferret.pid };
    startedPids.push(ferret.pid);
    mongodbUri = ferret.uri;
  }

  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  return { redisUrl, mongodbUri, startedPids };
}
