import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { openSync, closeSync } from 'node:fs';

/** Thrown when a prerequisite cannot be found or installed; the message says what to do. */
export class SetupError extends Error {
  override name = 'SetupError';
}

export function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a long-running program detached from us, its output going to a log file, and returns its pid. */
export function spawnDetached(command: string, args: string[], logFile: string): number {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd] });
    child.on('error', () => undefined); // reported just below: no pid
    if (child.pid === undefined) throw new SetupError(`could not start ${command}: check that it is installed and executable`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function stopPid(pid: number, timeoutMs = 5000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}


/**
 * Polls `probe` until it resolves true or the time runs out. Given the `pid` of the server being
 * waited for, fails at once when that process has exited (its log says why).
 */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: string, pid?: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    if (pid !== undefined && !isAlive(pid)) throw new SetupError(`${what} exited before it answered`);
    await sleep(100);
  }
  throw new SetupError(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s`);
}
