import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '../../support/wait';

export interface AppProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The whole app (`app/main.ts`, ROLE=all) in its own process, as `npm start` runs it, with the
 * given environment (stores, fake WeChat Work). Resolves once both roles have started.
 */
export async function startAppProcess(env: Record<string, string>, port: number, startTimeoutMs = 60_000, onSpawn?: (child: ChildProcess) => void): Promise<AppProcess> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../../../app/main.ts')], {
    cwd: join(__dirname, '../../..'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ROLE: 'all', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '5000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onSpawn?.(child);
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  await waitFor(
    'the app to start both roles',
    () => {
      if (exited()) throw new Error(`the app exited before it started:\n${output}`);
      return output.includes('whistlebot started');
    },
    startTimeoutMs,
  );
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop(graceMs = 8_000) {
      if (exited()) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}
