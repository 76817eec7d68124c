import { lifecycleModule, type LifecycleModule } from '../../../../app/lifecycleModule';
import { KEY } from '../../../../bots/wecom/lifecycle/buttonKeys';
import { submitReport } from '../../../../commands/submitReport';
import { InboundDispatcher } from '../../../../jobs/inbound/dispatcher';
import { CaseRepository } from '../../../../store/caseRepository';
import { serveModule, type ModuleServer } from '../../../support/moduleServer';

/** The module as the lead wires it: card taps on the worker role (the stats route is app/statsModule's). */
describe('lifecycleModule', () => {
  let served: ModuleServer;
  let module: LifecycleModule;
  const dispatcher = new InboundDispatcher();
  const synced: string[] = [];

  beforeAll(async () => {
    // What the worker role starts (the duplicate-key pruner's queue, worker and scheduler) is closed with the rest.
    served = await serveModule('lifecycle_module', (infra) => (module = lifecycleModule(infra, { cases: new CaseRepository(infra.mongo), deadlines: { syncCase: async (c) => void synced.push(c.id) }, dispatcher, org: infra.org })));
  });
  afterAll(() => served.stop());

  it('gives the conversation and the mini-program one lifecycle, with SLA deadlines and the deadline engine', async () => {
    expect(module.deps).toBe(module.lifecycle.deps);
    const deps = module.deps;
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
    expect(synced).toContain(outcome.case.id);
  });

  it('listens to lifecycle card taps on the inbound dispatcher', async () => {
    const handled = await dispatcher.dispatch({
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
