import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, stopPid } from './process';
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

export function servicesStateFile(dataDir: string): string {
  return join(dataDir, 'services.json');
}

function readState(file: string): StateFile {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StateFile;
  } catch {
    return {};
  }
}

/** Written whole through a temporary file, so a crash mid-write never leaves half a record. */
function writeState(file: string, state: StateFile): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state, null, 2));
  renameSync(temporary, file);
}

/** A server recorded by an earlier start that is alive but does not answer: ours, so stopped before a fresh one starts. */
async function stopUnanswering(name: string, pid: number, log: (line: string) => void): Promise<void> {
  log(`${name} recorded by an earlier start (pid ${pid}) does not answer; stopping it`);
  await stopPid(pid);
}

/**
 * Makes sure a Redis and a MongoDB-protocol server answer: the ones named by REDIS_URL and
 * MONGODB_URI when they answer, else ones started earlier from `dataDir` when still alive,
 * else fresh local ones (redis-server, FerretDB) in `dataDir`. Each server it starts is recorded
 * in `dataDir/services.json` the moment its process exists, before it answers, so
 * `stopRecordedServices` (`npm run services:stop`) can stop it even when start-up failed later.
 * With `stopStartedOnFailure` (the test run, which owns its servers), a failure stops what this
 * call started before it rethrows.
 */
export async function ensureServices(options: {
  dataDir: string;
  redisUrl?: string;
  mongodbUri?: string;
  log?: (line: string) => void;
  stopStartedOnFailure?: boolean;
  ferretdbStartTimeoutMs?: number;
}): Promise<EnsuredServices> {
  const log = options.log ?? (() => undefined);
  mkdirSync(options.dataDir, { recursive: true });
  const stateFile = servicesStateFile(options.dataDir);
  const state = existsSync(stateFile) ? readState(stateFile) : {};
  const startedPids: number[] = [];
  /** Records a server the moment its process exists (before it answers), on disk at once. */
  const record =
    <K extends keyof StateFile>(service: K) =>
    (server: NonNullable<StateFile[K]>): void => {
      state[service] = server;
      startedPids.push(server.pid);
      writeState(stateFile, state);
    };

  try {
    let redisUrl = options.redisUrl;
    if (redisUrl && !(await redisAnswers(redisUrl))) {
      throw new Error(`REDIS_URL=${redisUrl} does not answer. Start that Redis, or unset REDIS_URL to let whistlebot start its own.`);
    }
    if (!redisUrl && state.redis && isAlive(state.redis.pid)) {
      if (await redisAnswers(state.redis.url)) redisUrl = state.redis.url;
      else await stopUnanswering('redis-server', state.redis.pid, log);
    }
    if (!redisUrl) {
      const redis = await startRedisServer({
        dir: join(options.dataDir, 'redis'),
        log,
        onSpawn: record('redis'),
      });
      log(`started redis-server at ${redis.url}`);
      redisUrl = redis.url;
    }

    let mongodbUri = options.mongodbUri;
    if (mongodbUri && !(await mongoAnswers(mongodbUri))) {
      throw new Error(`MONGODB_URI=${mongodbUri.replace(/\/\/[^@]*@/, '//***@')} does not answer. Start that server, or unset MONGODB_URI to let whistlebot start FerretDB.`);
    }
    if (!mongodbUri && state.mongo && isAlive(state.mongo.pid)) {
      if (await mongoAnswers(state.mongo.uri)) mongodbUri = state.mongo.uri;
      else await stopUnanswering('FerretDB', state.mongo.pid, log);
    }
    if (!mongodbUri) {
      const ferret = await startFerretdb({
        dir: join(options.dataDir, 'ferretdb'),
        log,
        ...(options.ferretdbStartTimeoutMs !== undefined && { startTimeoutMs: options.ferretdbStartTimeoutMs }),
        onSpawn: record('mongo'),
      });
      log(`started FerretDB at ${ferret.uri}`);
      mongodbUri = ferret.uri;
    }

    writeState(stateFile, state);
    return { redisUrl, mongodbUri, startedPids };
  } catch (error) {
    if (options.stopStartedOnFailure && startedPids.length > 0) {
      await Promise.all(startedPids.map((pid) => stopPid(pid)));
      rmSync(stateFile, { force: true });
    }
    throw error;
  }
}

/**
 * Stops the servers recorded in `dataDir/services.json` and forgets them. Returns what it stopped
 * (an empty list when nothing was recorded or nothing recorded was still running).
 */
export async function stopRecordedServices(dataDir: string): Promise<Array<{ service: 'redis' | 'mongo'; pid: number }>> {
  const file = servicesStateFile(dataDir);
  if (!existsSync(file)) return [];
  const state = readState(file);
  const running = (['redis', 'mongo'] as const)
    .map((service) => ({ service, pid: state[service]?.pid }))
    .filter((entry): entry is { service: 'redis' | 'mongo'; pid: number } => entry.pid !== undefined && isAlive(entry.pid));
  await Promise.all(running.map(({ pid }) => stopPid(pid)));
  rmSync(file, { force: true });
  return running;
}
