import type { LifecycleDeps } from '../../commands/deps';
import { recoverPendingEffects } from '../../commands/recoverEffects';
import { submitReport } from '../../commands/submitReport';
import { transact } from '../../commands/transact';
import { RedisPendingEffects } from '../../store/pendingEffects';
import { TestApp } from '../support/testApp';
import { waitFor } from '../support/wait';
import { testDistrictApp } from '../bots/wecom/lifecycle/support/district';
import { gridReport } from '../bots/wecom/lifecycle/support/reports';

/**
 * A process that stores a change and dies before its side effects ran (the whistle stored, the
 * whistle cards never queued): the change stays written down in Redis, and the recovery a worker
 * runs sends what it should have sent, once.
 */
describe('recoverPendingEffects: the side effects of a change whose process died after storing it', () => {
  const h = new TestApp('recover_effects', testDistrictApp);
  let journal: RedisPendingEffects;
  beforeAll(async () => {
    await h.start();
    journal = new RedisPendingEffects(h.runtime.redis, h.env.QUEUE_PREFIX);
  });
  afterAll(() => h.stop());

  /** The lifecycle of a process that dies right after each save: no effect runs, nothing is struck off. */
  function dyingAfterTheSave(deps: LifecycleDeps): LifecycleDeps {
    const died = async (): Promise<void> => new Promise(() => undefined);
    return {
      ...deps,
      notifier: { caseChanged: died, duplicateMerged: died },
      deadlines: { syncCase: died },
      pendingEffects: { begin: (change) => journal.begin(change), end: async () => undefined },
    };
  }

  it('sends the whistle cards of a stored whistle once, and strikes off a change that was never stored', async () => {
    const deps = h.lifecycle.deps;
    const report = gridReport();
    const created = await deps.cases.create({ districtId: report.districtId, streetId: report.streetId, source: 'grid', reporter: report.reporter, text: report.text, media: [], parsed: { urgency: 'key', confidence: 0.9, category: 'road', locationText: '测试路' }, level: 'street', routedDepartments: ['zhujian'] }, { actor: { userId: 'grid-zhang', role: 'grid' }, channel: 'wecom', now: new Date() });
    // The whistle is stored; the process "dies" before its cards are queued.
    void transact(dyingAfterTheSave(deps), () => deps.cases.findById(created.id), { type: 'whistle', departments: ['zhujian'] }, { actor: { userId: 'system', role: 'system' }, channel: 'system', now: new Date() });
    await waitFor('the whistle stored', async () => (await h.case(created.id)).state === 'whistled');
    await h.settle();
    expect(h.cards('zj-lead1', 'whistle')).toEqual([]);

    // A change written down that never reached the store (its process died before the save).
    const stored = await h.case(created.id);
    await journal.begin({ before: stored, after: { ...stored, version: stored.version + 1 }, events: [{ ...stored.timeline.at(-1)!, type: 'accepted', at: new Date() }] });

    expect(await recoverPendingEffects(deps, journal, 0)).toBe(1);
    await h.settle();
    const cards = h.cards('zj-lead1', 'whistle');
    expect(cards).toHaveLength(1);
    expect(h.cards('zj-lead2', 'whistle').map((m) => m.msgid)).toEqual([cards[0]?.msgid]);
    expect(JSON.stringify(cards[0]?.body)).toContain(created.number);
    expect(await journal.due(0)).toEqual([]);
    expect(await recoverPendingEffects(deps, journal, 0)).toBe(0);
  });

  it('keeps a change written down by a live process until it is old enough, and its instants as instants', async () => {
    const submitted = await submitReport(h.lifecycle.deps, gridReport());
    const token = await journal.begin({ before: null, after: submitted.case, events: submitted.case.timeline });
    expect(await journal.due(60_000)).toEqual([]);
    const [due] = await journal.due(0);
    expect(due?.token).toBe(token);
    expect(due?.change.after).toEqual(submitted.case);
    expect(due?.change.after.createdAt).toBeInstanceOf(Date);
    await journal.end(token);
    expect(await journal.due(0)).toEqual([]);
  });
});

