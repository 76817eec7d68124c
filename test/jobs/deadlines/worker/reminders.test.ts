import { REDIS_SETUPS, useRedis } from '../../../support/redisSetups';
import { DeadlineHarness, sleep, waitFor } from '../support/harness';

describe.each(REDIS_SETUPS)('reminders and escalations on a short test policy (accept within 6 s), on %s', (setup) => {
  const redis = useRedis(setup);
  let h: DeadlineHarness;

  beforeEach(async () => {
    h = await DeadlineHarness.start({ redis: redis() });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('reminds at 50% and 80%, at the deadline and while overdue, and escalates along the chain', async () => {
    const c = await h.whistledCase(['zhujian']);
    const due = c.assignments[0]?.acceptDueAt;
    expect(due).toBeDefined();

    const webhook = () => h.fake.inbox.webhook('wh-zhujian');
    await waitFor('four reminders in the department group', () => webhook().length >= 4, 20_000);
    await waitFor('two escalations', () => h.fake.inbox.appChat('chatstreet').length >= 1 && h.fake.inbox.appChat('chatleaders').length >= 1);
    await sleep(1_500);

    const texts = webhook().map((m) => (m.body.text as { content: string; mentioned_list?: string[] }));
    expect(texts).toHaveLength(4);
    expect(texts.every((t) => JSON.stringify(t.mentioned_list) === JSON.stringify(['zj-lead']))).toBe(true);
    expect(texts[0]?.content).toMatch(/【催办提醒】案件 T-1.*\n住建局接哨还剩 [23]秒/);
    expect(texts[2]?.content).toContain('【时限已到】');
    expect(texts[3]?.content).toMatch(/【超时催办】[\s\S]*已超时 [234]秒/);

    const street = h.fake.inbox.appChat('chatstreet');
    expect(street).toHaveLength(1);
    const streetText = (street[0]?.body.text as { content: string }).content;
    expect(streetText).toContain('【督办升级·街道调度员】');
    expect(streetText).toContain('请 @赵调度 督促住建局尽快接哨报到'); // an app chat cannot @-mention: the text names the dispatcher
    expect(streetText).toContain('办理经过：');
    expect(streetText).toMatch(/吹哨派单：住建局[\s\S]*催办：住建局接哨还剩/);
    const leaders = (h.fake.inbox.appChat('chatleaders')[0]?.body.text as { content: string }).content;
    expect(leaders).toContain('【督办升级·区领导】');
    expect(leaders).toContain('督办升级：住建局接哨');

    const events = await h.deadlineEvents(c.id);
    expect(events.map((e) => e.details.alert)).toEqual(['accept:r50', 'accept:r80', 'accept:due', 'accept:esc:1', 'accept:overdue:1', 'accept:esc:2']);
    expect(events.map((e) => e.type)).toEqual(['deadline_reminder', 'deadline_reminder', 'deadline_reminder', 'deadline_escalation', 'deadline_reminder', 'deadline_escalation']);

    // Each alert fired at its planned instant: 50% and 80% of the 6 s, the deadline, then 3 s later.
    const start = c.assignments[0]?.whistledAt.getTime() ?? 0;
    const offsets = h.fired.map((f) => (f.plannedAt.getTime() - start) / 1000);
    expect(offsets).toEqual([3, 4.8, 6, 6, 9, 9]);
    for (const f of h.fired) expect(f.firedAt.getTime() - f.plannedAt.getTime()).toBeLessThan(1_000);

    // Everything spent: no job left for the slot.
    expect(await h.engine.queue.getJob(`dl.${c.id}.a0.accept`)).toBeUndefined();
  });
});
