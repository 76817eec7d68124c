import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopPid } from './process';

/** `npm run services:stop`: stops the Redis and FerretDB that `npm start` started in .data/services. */
async function stop(): Promise<void> {
  const file = join(__dirname, '../../.data/services/services.json');
  let state: { redis?: { pid: number }; mongo?: { pid: number } } = {};
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as typeof state;
  } catch {
    process.stderr.write('no local services recorded; nothing to stop\n');
    return;
  }
  await Promise.all([state.redis?.pid, state.mongo?.pid].filter((p): p is number => p !== undefined).map((pid) => stopPid(pid)));
  process.stderr.write('local Redis and FerretDB stopped\n');
}

void stop();
