import { Queue } from 'bullmq';
import type { LifecycleModule } from '../../app/lifecycleModule';
import { KEY } from '../../bots/wecom/lifecycle/buttonKeys';
import { submitReport } from '../../commands/submitReport';
import { DEADLINE_QUEUE_NAME, deadlineJobId } from '../../jobs/deadlines';
import { bullConnection } from '../../jobs/outbox';
import { TestApp } from '../support/testApp';

/** The module as the composition root wires it: card taps on the worker role (the stats route is app/statsModule's). */
describe('lifecycleModule', () => {
  const h = new TestApp('lifecycle_module');
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('gives the conversation and the mini-program one lifecycle, with SLA deadlines and the deadline engine', async () => {
    const module = h.modules.find((m): m is LifecycleModule => 'lifecycle' in m);
    expect(module?.deps).toBe(module?.lifecycle.deps);
    const deps = h.lifecycle.deps;
    expect(deps.config.plan).toBeDefined();
    const outcome = await submitReport(deps, {
      source: 'grid',
      channel: 'wecom',
      reporter: { userId: 'grid-zhang' },
      districtId: 'demo-district',
      streetId: 'wenming',
      communityId: 'nongji',
      gridId: 'nongji-1',
      text: '农机路3号路面塌陷',
      media: [],
      parsed: { category: 'road', urgency: 'key', location: '农机路3号', departments: [], confidence: 0.9 },
    });
    expect(outcome.outcome).toBe('whistled');
    expect(outcome.case.assignments[0]?.acceptDueAt).toBeInstanceOf(Date);
    // The deadline engine was told: the accept timer is queued.
    const deadlines = new Queue(DEADLINE_QUEUE_NAME, { connection: bullConnection(h.env.REDIS_URL), prefix: h.env.QUEUE_PREFIX });
    try {
      expect(await deadlines.getJob(deadlineJobId(outcome.case.id, 'a0.accept'))).toBeDefined();
    } finally {
      await deadlines.close();
    }
  });

  it('listens to lifecycle card taps on the inbound dispatcher', async () => {
    const handled = await h.dispatcher.dispatch({
      type: 'template_card_event',
      fromUser: 'zhujian-lead',
      toUser: 'corp',
      createTime: 1,
      agentId: 1,
      dedupeKey: 'evt:module-test',
      eventKey: KEY.accept,
      taskId: 'unknown-task',
      cardType: 'button_interaction',
      responseCode: undefined,
      selectedItems: [],
    });
    expect(handled).toBe(1);
  });
});
