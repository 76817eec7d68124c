import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import mongoose from 'mongoose';
import { SetupError, commandExists, freePort, spawnDetached, stopPid, waitUntil } from './process';

export const FERRETDB_VERSION = '1.24.2';
const SOURCE_DIR = resolve(__dirname, '../ferretdb');

export interface RunningFerretdb {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

/** True when a MongoDB-protocol server answers `ping` at `uri` within the timeout. */
export async function mongoAnswers(uri: string, timeoutMs = 1500): Promise<boolean> {
  const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * The SQLite backend is what tests and the sandbox use. The PostgreSQL backend is built only on
 * request (the lifecycle load test at size). FerretDB v1's SQLite `_id` lookups cannot use its own
 * `_id` index (the query's `->'$._id'` is not the index's `->"_id"`); our launcher
 * (`scripts/ferretdb/pushdownIndexes.go`) adds an index on the query's expression to every
 * collection, so a read by `_id` is an index lookup (0.9 ms instead of 197 ms at 100,000 documents).
 */
export type FerretdbBackend = 'sqlite' | 'postgresql';

/** The launcher's sources, hashed: a changed launcher is built again instead of reusing an old binary. */
function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(SOURCE_DIR).filter((f) => f.endsWith('.go') || f === 'go.mod').sort()) hash.update(file).update(readFileSync(join(SOURCE_DIR, file)));
  return hash.digest('hex').slice(0, 10);
}

export function ferretdbBinaryPath(backend: FerretdbBackend = 'sqlite'): string {
  const cacheRoot = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cacheRoot, 'whistlebot', `ferretdb-${FERRETDB_VERSION}-${sourceHash()}${backend === 'sqlite' ? '' : `-${backend}`}`);
}

function goCommand(): string | undefined {
  if (commandExists('go')) return 'go';
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined;
}

/** Builds FerretDB once from the Go module proxy (our own `main` around its embeddable package) and caches it outside git. */
export function ensureFerretdbBinary(log: (line: string) => void = () => undefined, backend: FerretdbBackend = 'sqlite'): string {
  const binary = ferretdbBinaryPath(backend);
  if (existsSync(binary)) return binary;
  const go = goCommand();
  if (!go) {
    throw new SetupError('Go is needed once to build the local FerretDB test database, and it was not found. Install Go ≥ 1.22 (https://go.dev/dl) or set MONGODB_URI to a running MongoDB.');
  }
  log(`building FerretDB v${FERRETDB_VERSION} once (a few minutes on 2 cores; cached at ${binary})…`);
  mkdirSync(join(binary, '..'), { recursive: true });
  const tag = backend === 'sqlite' ? 'ferretdb_no_postgresql' : 'ferretdb_no_sqlite';
  const result = spawnSync(go, ['build', '-tags', tag, '-o', binary, '.'], {
    cwd: SOURCE_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  if (result.status !== 0 || !existsSync(binary)) {
    throw new SetupError(`building FerretDB failed (see the go output above). Check that the Go module proxy is reachable, or set MONGODB_URI to a running MongoDB.`);
  }
  log('FerretDB built.');
  return binary;
}

/**
 * Starts FerretDB v1 on loopback, detached from this process: with its SQLite backend in `dir`, or,
 * given `postgresqlUrl` (a UTF8 database with a C/POSIX/en_US locale), with its PostgreSQL backend.
 */
export async function startFerretdb(options: {
  dir: string;
  port?: number;
  postgresqlUrl?: string;
  log?: (line: string) => void;
  /** false: FerretDB as released, for a bench's baseline. */
  pushdownIndexes?: boolean;
  /** SQLite's PRAGMA synchronous (WAL): 'full' (default, an fsync per commit) or 'normal' (fsync at checkpoints). */
  sqliteSynchronous?: 'full' | 'normal';
  /** Hears of the server the moment its process exists, before it answers (to record it). */
  onSpawn?: (server: { uri: string; pid: number }) => void;
  /** How long to wait for it to answer (FERRETDB_START_TIMEOUT_MS, default 20 s). */
  startTimeoutMs?: number;
}): Promise<RunningFerretdb> {
  const backend: FerretdbBackend = options.postgresqlUrl === undefined ? 'sqlite' : 'postgresql';
  const binary = ensureFerretdbBinary(options.log, backend);
  const dataDir = join(options.dir, 'sqlite');
  mkdirSync(dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const storage = options.postgresqlUrl === undefined ? ['-sqlite-dir', `${dataDir}/`, `-pushdown-indexes=${options.pushdownIndexes ?? true}`, `-sqlite-synchronous=${options.sqliteSynchronous ?? 'full'}`] : ['-postgresql-url', options.postgresqlUrl];
  const pid = spawnDetached(binary, ['-listen', `127.0.0.1:${port}`, ...storage], join(options.dir, 'ferretdb.log'));
  const uri = `mongodb://127.0.0.1:${port}/whistlebot`;
  options.onSpawn?.({ uri, pid });
  await waitUntil(() => mongoAnswers(uri, 500), options.startTimeoutMs ?? 20_000, `FerretDB on port ${port} (log: ${join(options.dir, 'ferretdb.log')})`, pid);
  return { uri, pid, stop: () => stopPid(pid) };
}
