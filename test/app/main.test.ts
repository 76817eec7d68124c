import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { testMongoUri, testRedisUrl } from '../support/isolation';

describe('process roles and graceful shutdown', () => {
  it.each(['all', 'web', 'worker'])('role %s starts, then stops cleanly on SIGTERM within the shutdown bound', async (role) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../../app/main.ts')], {
      env: { PATH: process.env.PATH, MONGODB_URI: testMongoUri('shutdown'), REDIS_URL: testRedisUrl(), PORT: '0', HOST: '127.0.0.1', ROLE: role, SHUTDOWN_TIMEOUT_MS: '5000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = await new Promise<boolean>((resolve) => {
      // tsx compiles the whole app at start: on a loaded 2-core machine that alone can pass 30 s.
      const timer = setTimeout(() => resolve(false), 60_000);
      child.stdout.on('data', () => {
        if (output.includes('whistlebot started')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
    });
    expect({ started, output: started ? '' : output }).toEqual({ started: true, output: '' });
    if (role !== 'worker') {
      expect(output).toContain('web role listening');
      // No WECOM_CORP_ID: sandbox mode, and what it prints tells a newcomer where to click.
      expect(output).toMatch(/Open the sandbox console: +http:\/\/127\.0\.0\.1:\d+\/sandbox/);
    }
    if (role === 'web') expect(output).not.toContain('worker role started');

    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(8000);
    expect(output).toContain('"clean":true');
  }, 90_000);
});
