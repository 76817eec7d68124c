import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ferretdbBinaryPath } from '../../scripts/services/ferretdb';
import { isAlive, stopPid } from '../../scripts/services/process';
import { redisAnswers } from '../../scripts/services/redis';

/**
 * `npm start` starts a local redis-server and FerretDB when none is configured. Here the store is a
 * stand-in binary (in a private XDG_CACHE_HOME, where the FerretDB build is cached) that fails: it
 * exits at once, or runs and never answers. The Redis started before it must be recorded all the
 * same, so that `npm run services:stop` stops it (and the stuck store too).
 */
const root = join(__dirname, '../..');

interface State {
  redis?: { url: string; pid: number };
  mongo?: { uri: string; pid: number };
}

function run(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, script)], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

function setUp(fakeStore: string): { dir: string; env: Record<string, string>; state(): State } {
  const dir = mkdtempSync(join(process.env.WHISTLEBOT_TEST_DATA_DIR ?? tmpdir(), 'services-'));
  const cache = join(dir, 'cache');
  mkdirSync(join(cache, 'whistlebot'), { recursive: true });
  const binary = join(cache, 'whistlebot', basename(ferretdbBinaryPath()));
  writeFileSync(binary, `#!/bin/sh\n${fakeStore}\n`);
  chmodSync(binary, 0o755);
  const servicesDir = join(dir, 'services');
  return {
    dir,
    env: { XDG_CACHE_HOME: cache, WHISTLEBOT_SERVICES_DIR: servicesDir },
    state: () => (existsSync(join(servicesDir, 'services.json')) ? (JSON.parse(readFileSync(join(servicesDir, 'services.json'), 'utf8')) as State) : {}),
  };
}

describe('npm start records each local server the moment it starts; services:stop stops them', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup) await step();
  });
  /** Whatever a failed assertion left running is stopped at the end. */
  function track(setup: ReturnType<typeof setUp>): void {
    cleanup.push(async () => {
      const { redis, mongo } = setup.state();
      await Promise.all([redis?.pid, mongo?.pid].filter((pid): pid is number => pid !== undefined).map((pid) => stopPid(pid)));
      rmSync(setup.dir, { recursive: true, force: true });
    });
  }

  it('the store exits at once: start fails saying so, the Redis it started is recorded and services:stop stops it', async () => {
    const setup = setUp('echo "fake store: cannot open its storage" >&2; exit 1');
    track(setup);
    const start = await run('scripts/start.ts', setup.env);
    expect(start.code).toBe(1);
    expect(start.output).toMatch(/set-up failed: FerretDB on port \d+ \(log: .*ferretdb\.log\) exited before it answered/);
    expect(start.output).toContain('npm run services:stop stops them');

    const { redis } = setup.state();
    expect(redis).toEqual({ url: expect.stringMatching(/^redis:\/\/127\.0\.0\.1:\d+$/), pid: expect.any(Number) });
    expect(isAlive(redis!.pid)).toBe(true);
    expect(await redisAnswers(redis!.url)).toBe(true);

    const stop = await run('scripts/services/stop.ts', setup.env);
    expect(stop).toEqual({ code: 0, output: expect.stringContaining(`stopped redis-server (pid ${redis!.pid})`) });
    expect(isAlive(redis!.pid)).toBe(false);
    expect(await redisAnswers(redis!.url, 300)).toBe(false);
    expect(setup.state()).toEqual({});

    expect(await run('scripts/services/stop.ts', setup.env)).toEqual({ code: 0, output: expect.stringContaining('nothing to stop') });
  });

  it('the store runs and never answers: both are recorded; a second start reuses the Redis and replaces the stuck store; services:stop stops both', async () => {
    const setup = setUp('exec sleep 300');
    track(setup);
    const env = { ...setup.env, FERRETDB_START_TIMEOUT_MS: '1500' };
    const first = await run('scripts/start.ts', env);
    expect(first.code).toBe(1);
    expect(first.output).toMatch(/set-up failed: FerretDB on port \d+ .* did not become ready within 2 s/);
    const recorded = setup.state();
    expect(recorded.redis && isAlive(recorded.redis.pid)).toBe(true);
    expect(recorded.mongo && isAlive(recorded.mongo.pid)).toBe(true);

    const second = await run('scripts/start.ts', env);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`FerretDB recorded by an earlier start (pid ${recorded.mongo!.pid}) does not answer; stopping it`);
    expect(second.output).not.toContain('started redis-server');
    const again = setup.state();
    expect(again.redis).toEqual(recorded.redis);
    expect(again.mongo?.pid).not.toBe(recorded.mongo!.pid);
    expect(isAlive(recorded.mongo!.pid)).toBe(false);

    const stop = await run('scripts/services/stop.ts', setup.env);
    expect(stop.code).toBe(0);
    expect(stop.output).toContain(`stopped redis-server (pid ${again.redis!.pid}) and FerretDB (pid ${again.mongo!.pid})`);
    expect([isAlive(again.redis!.pid), isAlive(again.mongo!.pid)]).toEqual([false, false]);
  });
});
