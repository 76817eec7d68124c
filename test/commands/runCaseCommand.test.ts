import type { Connection } from 'mongoose';
import { caseStoreFrom } from '../../commands/caseStore';
import { lifecycleConfig } from '../../commands/config';
import type { CaseChange, LifecycleDeps, SideEffectFailure } from '../../commands/deps';
import { caseByNumber, casesReportedBy } from '../../commands/queries';
import { runCaseCommand } from '../../commands/runCaseCommand';
import { submitReport } from '../../commands/submitReport';
import { checkInvariants, type Actor, type Case } from '../../src/cases';
import { CaseRepository } from '../../store/caseRepository';
import { connectMongo } from '../../store/connection';
import { OrgRepository } from '../../store/orgRepository';
import { DISTRICT_ID, testDistrict } from '../bots/wecom/lifecycle/support/district';
import { gridReport } from '../bots/wecom/lifecycle/support/reports';
import { testMongoUri } from '../support/isolation';

const zj: Actor = { userId: 'zj-lead1', name: '住建甲', role: 'dept_lead', deptCode: 'zhujian' };
const sw: Actor = { userId: 'sw-lead', name: '水务甲', role: 'dept_lead', deptCode: 'shuiwu' };

/** The application layer with recording ports: what is stored, and which side effects run when. */
describe('lifecycle commands', () => {
  let mongo: Connection;
  let repo: CaseRepository;
  const changes: CaseChange[] = [];
  const merged: [Case, Case][] = [];
  const synced: Case[] = [];
  const failures: SideEffectFailure[] = [];
  let deps: LifecycleDeps;

  beforeAll(async () => {
    mongo = await connectMongo(testMongoUri('commands'));
    const org = new OrgRepository(mongo);
    await org.loadSeed(testDistrict);
    repo = new CaseRepository(mongo);
    await repo.ensureIndexes();
    deps = {
      cases: caseStoreFrom(repo, DISTRICT_ID),
      org,
      notifier: { caseChanged: async (change) => void changes.push(change), duplicateMerged: async (d, t) => void merged.push([d, t]) },
      deadlines: { syncCase: async (c) => void synced.push(c) },
      clock: () => new Date(),
      config: lifecycleConfig(),
      sideEffectFailed: (failure) => void failures.push(failure),
    };
  });
  beforeEach(() => {
    failures.length = 0;
    changes.length = 0;
    merged.length = 0;
    synced.length = 0;
  });
  afterAll(async () => {
    await mongo.dropDatabase();
    await mongo.close();
  });

  const ctx = (actor: Actor) => ({ actor, channel: 'wecom' as const, now: new Date() });

  it('whistles a confident report and runs the side effects once, after it is stored', async () => {
    const outcome = await submitReport(deps, gridReport({ parsed: { departments: ['shuiwu'] } }));
    expect(outcome.outcome).toBe('whistled');
    expect(changes).toHaveLength(1);
    expect(changes[0]?.before?.state).toBe('triage');
    expect(changes[0]?.events.map((e) => e.type)).toEqual(['whistled']);
    expect(synced.map((c) => c.version)).toEqual([outcome.case.version]);
    expect((await repo.get(outcome.case.id))?.version).toBe(outcome.case.version);
  });

  it('reports a saved whistle as saved when a step after the save fails, and reports the failed step', async () => {
    const failing: LifecycleDeps = {
      ...deps,
      deadlines: { syncCase: async () => Promise.reject(new Error('redis down')) },
      notifier: { ...deps.notifier, caseChanged: async () => Promise.reject(new Error('outbox down')) },
    };
    const outcome = await submitReport(failing, gridReport({ parsed: { departments: ['shuiwu'] } }));
    expect(outcome.outcome).toBe('whistled');
    expect((await repo.get(outcome.case.id))?.state).toBe('whistled');
    expect(failures.map((f) => [f.step, f.case.id, (f.error as Error).message])).toEqual([
      ['notify', outcome.case.id, 'outbox down'],
      ['deadlines', outcome.case.id, 'redis down'],
    ]);

    const accepted = await runCaseCommand(failing, { id: outcome.case.id }, { type: 'accept' }, ctx(sw));
    expect(accepted).toMatchObject({ ok: true, case: { version: outcome.case.version + 1 } });
    expect(failures).toHaveLength(4);
  });

  it('sends refusals back with their reason and no side effects', async () => {
    const { case: c } = await submitReport(deps, gridReport());
    changes.length = 0;
    const refused = await runCaseCommand(deps, { id: c.id }, { type: 'feedback', text: '已处理' }, ctx(zj));
    expect(refused).toEqual({ ok: false, code: 'illegal_state', reason: '请先接哨再反馈处理结果' });
    const outsider = await runCaseCommand(deps, { id: c.id }, { type: 'accept' }, ctx(sw));
    expect(outsider).toMatchObject({ ok: false, code: 'not_yours' });
    expect(await runCaseCommand(deps, { number: '2026-999999' }, { type: 'accept' }, ctx(zj))).toMatchObject({ ok: false, code: 'not_found' });
    expect(changes).toHaveLength(0);
  });

  it('lets concurrent commands on one case all land, in order, by re-applying the loser', async () => {
    const { case: c } = await submitReport(deps, gridReport({ parsed: { departments: ['shuiwu', 'chengguan'] } }));
    const cg: Actor = { userId: 'cg-lead', role: 'dept_lead', deptCode: 'chengguan' };
    const results = await Promise.all([zj, sw, cg].map((actor) => runCaseCommand(deps, { id: c.id }, { type: 'accept' }, ctx(actor))));
    expect(results.every((r) => r.ok)).toBe(true);
    const stored = await repo.get(c.id);
    expect(stored?.assignments.map((a) => a.state)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(stored?.version).toBe(c.version + 3);
    expect(checkInvariants(stored as Case)).toEqual([]);
  });

  it('refuses the second of two leads accepting at once with who got there first', async () => {
    const { case: c } = await submitReport(deps, gridReport());
    const other: Actor = { userId: 'zj-lead2', name: '住建乙', role: 'dept_lead', deptCode: 'zhujian' };
    const [a, b] = await Promise.all([runCaseCommand(deps, { id: c.id }, { type: 'accept' }, ctx(zj)), runCaseCommand(deps, { id: c.id }, { type: 'accept' }, ctx(other))]);
    const refusal = [a, b].find((r) => !r.ok);
    expect([a, b].filter((r) => r.ok)).toHaveLength(1);
    expect(refusal).toMatchObject({ ok: false, code: 'already_accepted', reason: expect.stringMatching(/该案件已由住建[甲乙]接哨/) });
  });

  it('merges a duplicate through runCaseCommand and tells its reporter', async () => {
    const target = await submitReport(deps, gridReport());
    const duplicate = await submitReport(deps, gridReport({ parsed: { confidence: 0.2 } }));
    expect(duplicate.outcome).toBe('triage');
    const dispatcher: Actor = { userId: 'dispatcher1', role: 'dispatcher' };
    const result = await runCaseCommand(deps, { number: duplicate.case.number }, { type: 'merge', targetId: target.case.id }, ctx(dispatcher));
    expect(result).toMatchObject({ ok: true, case: { state: 'merged', mergedInto: target.case.id } });
    expect(merged.map(([d, t]) => [d.id, t.mergedDuplicates])).toEqual([[duplicate.case.id, [duplicate.case.id]]]);
  });

  it('routes a resident report of a daily community matter to the community', async () => {
    const outcome = await submitReport(deps, {
      ...gridReport({ parsed: { category: 'sanitation', urgency: 'daily' } }),
      source: 'resident',
      channel: 'mp',
      reporter: { openid: 'o-resident-1' },
    });
    expect(outcome.outcome).toBe('community');
    expect(outcome.case).toMatchObject({ level: 'community', state: 'community' });
    expect(changes.map((c) => c.before)).toEqual([null]);
  });

  it('reads a case by number and a reporter\'s latest cases', async () => {
    const { case: c } = await submitReport(deps, gridReport({ reporter: { userId: 'grid-li' } }));
    expect((await caseByNumber(deps, c.number))?.id).toBe(c.id);
    expect(await caseByNumber(deps, 'not-a-number')).toBeNull();
    const mine = await casesReportedBy(deps, 'grid-li', 5);
    expect(mine[0]?.id).toBe(c.id);
  });
});
