import { text, toUsers, toWebhook, webhookText } from '../../../../bots/wecom/messages';
import { SentLedger, outboxJobId } from '../../../../jobs/outbox';
import { REDIS_SETUPS, useRedis } from '../../../support/redisSetups';
import { OutboundHarness, sleep, waitFor } from '../../../bots/wecom/outbound/support/harness';

describe.each(REDIS_SETUPS)('outbox idempotency, on %s', (setup) => {
  const redis = useRedis(setup);
  let h: OutboundHarness;

  beforeEach(async () => {
    h = await new OutboundHarness('wecom_idem', {}, redis()).start();
  });
  afterEach(() => h.stop());

  it('the same key enqueued twice (even at once, from two producers) is one job and one send', async () => {
    const a = h.outbox();
    const b = h.outbox();
    const message = toUsers(['dup'], text('只发一次'));
    const results = await Promise.all([a.enqueueOutbound(message, 'case-7:whistle:dup'), b.enqueueOutbound(message, 'case-7:whistle:dup'), a.enqueueOutbound(message, 'case-7:whistle:dup')]);
    expect(new Set(results.map((r) => r.jobId))).toEqual(new Set([outboxJobId('case-7:whistle:dup')]));
    expect(await a.queue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed')).toBe(1);

    h.worker();
    await waitFor('delivery', () => h.fake.inbox.user('dup').length === 1);
    await sleep(300);
    expect(h.fake.inbox.user('dup')).toHaveLength(1);
  });

  it('a key enqueued again after its job was cleaned up is still not sent twice (sent ledger)', async () => {
    const outbox = h.outbox();
    h.worker();
    const message = toWebhook('idem-robot', webhookText('一次'));
    const { jobId } = await outbox.enqueueOutbound(message, 'case-8:notice');
    await waitFor('first delivery', () => h.fake.inbox.webhook('idem-robot').length === 1);
    await waitFor('job completed', async () => (await (await outbox.queue.getJob(jobId))?.getState()) === 'completed');
    await outbox.queue.remove(jobId);

    await outbox.enqueueOutbound(message, 'case-8:notice');
    await waitFor('second job completed', async () => (await (await outbox.queue.getJob(jobId))?.getState()) === 'completed');
    expect((await outbox.queue.getJob(jobId))?.returnvalue).toEqual({ skipped: 'already-sent' });
    expect(h.fake.inbox.webhook('idem-robot')).toHaveLength(1);
    expect(h.fake.callLog('/cgi-bin/webhook/send')).toHaveLength(1);
  });

  it('a job retried after its message went out (recorded in the ledger) does not send again', async () => {
    const outbox = h.outbox();
    // As if a worker sent and recorded the message, then died before BullMQ marked the job completed.
    await new SentLedger(h.redis(), h.prefix).markSent('case-9:reminder', { channel: 'app' });
    await outbox.enqueueOutbound(toUsers(['retried'], text('不要重复')), 'case-9:reminder');
    h.worker();
    await waitFor('job completed', async () => (await outbox.queue.getJobCountByTypes('completed')) === 1);
    expect(h.fake.callLog('/cgi-bin/message/send')).toHaveLength(0);
  });

  it('different keys are different messages', async () => {
    const outbox = h.outbox();
    h.worker();
    await outbox.enqueueOutbound(toUsers(['two'], text('一')), 'k1');
    await outbox.enqueueOutbound(toUsers(['two'], text('一')), 'k2');
    await waitFor('two deliveries', () => h.fake.inbox.user('two').length === 2);
  });
});
