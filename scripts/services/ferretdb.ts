import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
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

export function ferretdbBinaryPath(): string {
  const cacheRoot = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cacheRoot, 'whistlebot', `ferretdb-${FERRETDB_VERSION}`);
}

function goCommand(): string | undefined {
  if (commandExists('go')) return 'go';
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined;
}

/** Builds FerretDB once from the Go module proxy (our own `main` around its embeddable package) and caches it outside git. */
export function ensureFerretdbBinary(log: (line: string) => void = () => undefined): string {
  const binary = ferretdbBinaryPath();
  if (existsSync(binary)) return binary;
  const go = goCommand();
  if (!go) {
    throw new SetupError('Go is needed once to build the local FerretDB test database, and it was not found. Install Go ≥ 1.22 (https://go.dev/dl) or set MONGODB_URI to a running MongoDB.');
  }
  log(`building FerretDB v${FERRETDB_VERSION} once (a few minutes on 2 cores; cached at ${binary})…`);
  mkdirSync(join(binary, '..'), { recursive: true });
  const result = spawnSync(go, ['build', '-tags', 'ferretdb_no_postgresql', '-o', binary, '.'], {
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

/** Starts FerretDB v1 with its SQLite backend in `dir`, on loopback, detached from this process. */
export async function startFerretdb(options: { dir: string; port?: number; log?: (line: string) => void }): Promise<RunningFerretdb> {
  const binary = ensureFerretdbBinary(options.log);
  const dataDir = join(options.dir, 'sqlite');
  mkdirSync(dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const pid = spawnDetached(binary, ['-listen', `127.0.0.1:${port}`, '-sqlite-dir', `${dataDir}/`], join(options.dir, 'ferretdb.log'));
  const uri = `mongodb://127.0.0.1:${port}/whistlebot`;
  await waitUntil(() => mongoAnswers(uri, 500), 20_000, `FerretDB on port ${port} (log: ${join(options.dir, 'ferretdb.log')})`);
  return { uri, pid, stop: () => stopPid(pid) };
}
