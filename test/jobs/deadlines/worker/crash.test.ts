import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_TEST_TIMES, testSla } from '../support/fixtures';
import { DeadlineHarness, sleep, waitFor } from '../support/harness';

const LOCK_MS = 1_000;
// Every worker on the queue must use the same stalled interval (BullMQ keeps a guard key that long).
const STALLED_MS = 300;
// Long enough that the survivor takes the job over before the 80% reminder is due.
const ACCEPT_SECONDS = 20;

function startWorkerProcess(h: DeadlineHarness): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../support/workerProcess.ts')], {
    cwd: join(__dirname, '../../../..'),
    env: {
      ...process.env,
      REDIS_URL: h.redisUrl,
      MONGODB_URI: h.mongoUri,
      DEADLINE_PREFIX: h.prefix,
      LOCK_MS: String(LOCK_MS),
      STALLED_MS: String(STALLED_MS),
      ACCEPT_SECONDS: String(ACCEPT_SECONDS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

describe('a deadline worker killed during a reminder', () => {
  let h: DeadlineHarness;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    const times = { ...DEFAULT_TEST_TIMES, accept: ACCEPT_SECONDS, finish: 2 * ACCEPT_SECONDS, verify: ACCEPT_SECONDS };
    h = await DeadlineHarness.start({ runWorkers: false, sla: testSla(times) });
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await h.stop();
  });

  it('after the message was queued but before it was recorded: the survivor records it, and it is sent once', async () => {
    const proc = startWorkerProcess(h);
    child = proc.child;
    await waitFor(`worker process ready (output: ${proc.output()})`, () => proc.output().includes('ready'), 30_000);

    const c = await h.whistledCase(['zhujian']);
    await waitFor('the 50% reminder to be queued by the doomed worker', () => proc.output().includes('sent '), 20_000);
    const exited = new Promise((resolve) => proc.child.once('exit', resolve));
    proc.child.kill('SIGKILL');
    await exited;
    await waitFor('the reminder delivered by the outbox', () => h.fake.inbox.webhook('wh-zhujian').length === 1);
    expect(await h.deadlineEvents(c.id)).toEqual([]); // not recorded: the worker died first

    h.startWorker({ lockDurationMs: LOCK_MS, stalledIntervalMs: STALLED_MS });
    await waitFor('the survivor to record the reminder', async () => (await h.deadlineEvents(c.id)).length === 1, 20_000);
    await sleep(1_500);

    expect(h.fake.inbox.webhook('wh-zhujian')).toHaveLength(1);
    const events = await h.deadlineEvents(c.id);
    expect(events.map((e) => e.details.alert)).toEqual(['accept:r50']);
    expect(proc.output()).toContain(`sent ${String(events[0]?.details.deadlineKey)}`);
  });
});
