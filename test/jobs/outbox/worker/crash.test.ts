import type { ChildProcess } from 'node:child_process';
import { text, toUsers } from '../../../../bots/wecom/messages';
import { OutboundHarness, sleep, waitFor } from '../../../bots/wecom/outbound/support/harness';
import { startWorkerProcess } from '../../../bots/wecom/outbound/support/spawnWorker';

const LOCK_MS = 1_000;
// Every worker must use the same interval: the first stalled check sets a Redis guard key for that long.
const STALLED_MS = 300;

describe('a worker killed mid-send', () => {
  let h: OutboundHarness;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    h = await new OutboundHarness('wecom_crash').start();
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await h.stop();
  });

  it('is taken over after restart and the message is delivered exactly once', async () => {
    const outbox = h.outbox();
    const proc = startWorkerProcess(h, { lockMs: LOCK_MS, stalledMs: STALLED_MS });
    child = proc.child;
    await waitFor(`worker process ready (output: ${proc.output()})`, () => proc.output().includes('ready'), 30_000);

    h.fake.failNext('hang', 1, { path: '/cgi-bin/message/send' });
    const { jobId } = await outbox.enqueueOutbound(toUsers(['crashuser'], text('进程被杀也只送一次')), 'crash-1');
    await waitFor('the send to hang', () => h.fake.callLog('/cgi-bin/message/send').some((c) => c.outcome.kind === 'hang'));

    const exited = new Promise((resolve) => proc.child.once('exit', resolve));
    proc.child.kill('SIGKILL');
    await exited;
    expect(await (await outbox.queue.getJob(jobId))?.getState()).toBe('active'); // orphaned, still locked

    h.worker({ lockDurationMs: LOCK_MS, stalledIntervalMs: STALLED_MS });
    await waitFor('delivery by the restarted worker', () => h.fake.inbox.user('crashuser').length === 1, 20_000);
    await waitFor('job completed', async () => (await (await outbox.queue.getJob(jobId))?.getState()) === 'completed');
    await sleep(LOCK_MS + 500);

    expect(h.fake.inbox.user('crashuser')).toHaveLength(1);
    expect(h.fake.callLog('/cgi-bin/message/send').map((c) => c.outcome.kind)).toEqual(['hang', 'answered']);
  });

  it('a worker closed mid-send (in-process) hands the job over the same way', async () => {
    const outbox = h.outbox();
    const first = h.worker({ lockDurationMs: LOCK_MS, stalledIntervalMs: STALLED_MS, client: h.client({ timeoutMs: 4_000 }) });
    h.fake.failNext('hang', 1, { path: '/cgi-bin/message/send' });
    await outbox.enqueueOutbound(toUsers(['closeduser'], text('关闭后接管')), 'closed-1');
    await waitFor('the send to hang', () => h.fake.callLog('/cgi-bin/message/send').some((c) => c.outcome.kind === 'hang'));
    await first.close(true);

    h.worker({ lockDurationMs: LOCK_MS, stalledIntervalMs: STALLED_MS });
    await waitFor('delivery by the second worker', () => h.fake.inbox.user('closeduser').length === 1, 20_000);
    await sleep(4_500); // let the first worker's hung request time out: it must not send again
    expect(h.fake.inbox.user('closeduser')).toHaveLength(1);
    expect(h.fake.callLog('/cgi-bin/message/send').map((c) => c.outcome.kind)).toEqual(['hang', 'answered']);
  });
});
