import { deadlineJobId } from '../../../jobs/deadlines';
import { REDIS_SETUPS, useRedis } from '../../support/redisSetups';
import { CG_STAFF, DISPATCHER, DeadlineHarness, sleep, waitFor } from './support/harness';

const texts = (h: DeadlineHarness, chatId: string) => h.fake.inbox.appChat(chatId).map((m) => (m.body.text as { content: string }).content);

async function delayedUntil(h: DeadlineHarness, jobId: string): Promise<number | undefined> {
  const score = await h.redis.zscore(h.engine.queue.keys.delayed ?? '', jobId);
  return score === null ? undefined : Math.floor(Number(score) / 4096);
}

/** BullMQ reads its own clock when it turns a delay into a time: a few ms either way. */
function expectNear(actual: number | undefined, expected: number): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual ?? 0) - expected)).toBeLessThanOrEqual(100);
}

describe.each(REDIS_SETUPS)('state changes move or cancel the deadline jobs (accept 6 s, finish 12 s), on %s', (setup) => {
  const redis = useRedis(setup);
  let h: DeadlineHarness;

  beforeEach(async () => {
    h = await DeadlineHarness.start({ redis: redis() });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('acceptance cancels the pending accept reminders; an approved extension moves the finish ones; cancelling ends them', async () => {
    const t0 = Date.now();
    const whistled = await h.whistledCase(['chengguan', 'zhujian']);
    const acceptJob = deadlineJobId(whistled.id, 'a0.accept');
    expectNear(await delayedUntil(h, acceptJob), (whistled.assignments[0]?.whistledAt.getTime() ?? 0) + 3_000);

    await sleep(1_000);
    const accepted = await h.run(whistled.id, { type: 'accept' }, CG_STAFF);
    expect(await h.engine.queue.getJob(acceptJob)).toBeUndefined();
    const finishJob = deadlineJobId(whistled.id, 'a0.finish');
    const acceptedAt = accepted.assignments[0]?.acceptedAt?.getTime() ?? 0;
    expectNear(await delayedUntil(h, finishJob), acceptedAt + 6_000);

    await sleep(1_000);
    const requestedDueAt = new Date(Date.now() + 14_000);
    await h.run(whistled.id, { type: 'requestExtension', reason: '需要协调物业', requestedDueAt }, CG_STAFF);
    const extended = await h.run(whistled.id, { type: 'decideExtension', deptCode: 'chengguan', approve: true }, DISPATCHER);
    const decidedAt = extended.updatedAt.getTime();
    expect(extended.assignments[0]?.finishDueAt?.getTime()).toBe(requestedDueAt.getTime());
    // 50% of the extended window, counted from the approval.
    expectNear(await delayedUntil(h, finishJob), decidedAt + Math.round((requestedDueAt.getTime() - decidedAt) / 2));

    // The assisting department was not accepted: its accept reminders carry on.
    await waitFor('zhujian 50% and 80% reminders', () => h.fake.inbox.webhook('wh-zhujian').length >= 2);
    // The old finish 50% (accepted + 6 s) passes without a message.
    await sleep(Math.max(0, acceptedAt + 6_500 - Date.now()));
    expect(texts(h, 'chatcg')).toEqual([]);

    await waitFor('the extended 50% reminder', () => texts(h, 'chatcg').length === 1);
    expect(texts(h, 'chatcg')[0]).toMatch(/城管局办结还剩 [67]秒[\s\S]*请 @李科长 尽快办理并反馈结果/);
    // The worker queues the message before recording it on the case, so the record may trail the delivery.
    const finishEvents = async () => (await h.deadlineEvents(whistled.id)).filter((e) => e.details.stage === 'finish');
    await waitFor('the reminder on the timeline', async () => (await finishEvents()).length > 0);
    expect((await finishEvents()).map((e) => e.details.deadlineKey)).toEqual([`a0.finish@${requestedDueAt.getTime()}#finish:r50`]);

    await h.run(whistled.id, { type: 'cancel', reason: '重复上报' }, DISPATCHER);
    expect(await h.engine.queue.getJob(finishJob)).toBeUndefined();
    expect(await h.engine.queue.getJob(deadlineJobId(whistled.id, 'a1.accept'))).toBeUndefined();
    const before = h.fake.inbox.all().length;
    await sleep(Math.max(0, t0 + 10_000 - Date.now()));
    expect(h.fake.inbox.all().length).toBe(before);
  });

  it('a late or duplicate job for a moot slot sends nothing', async () => {
    const c = await h.whistledCase(['zhujian']);
    await h.run(c.id, { type: 'accept' }, { userId: 'zj-staff', role: 'dept_member', deptCode: 'zhujian' });
    // Someone re-adds the old accept job (a stale duplicate): the worker re-reads the case and drops it.
    await h.engine.queue.add('deadline', {}, { jobId: deadlineJobId(c.id, 'a0.accept'), removeOnComplete: true });
    await waitFor('the stale job to finish', async () => (await h.engine.queue.getJob(deadlineJobId(c.id, 'a0.accept'))) === undefined);
    expect(h.fake.inbox.webhook('wh-zhujian')).toEqual([]);
    expect(await h.deadlineEvents(c.id)).toEqual([]);
  });
});
