import type { Connection } from 'mongoose';
import { caseStoreFrom } from '../../commands/caseStore';
import { CaseWriteTurns } from '../../commands/caseWriteTurns';
import { lifecycleConfig } from '../../commands/config';
import type { LifecycleDeps } from '../../commands/deps';
import { runCommandOn } from '../../commands/runCaseCommand';
import { submitReport } from '../../commands/submitReport';
import type { Actor } from '../../src/cases';
import { CaseRepository } from '../../store/caseRepository';
import { connectMongo } from '../../store/connection';
import { OrgRepository } from '../../store/orgRepository';
import { DISTRICT_ID, testDistrict } from '../bots/wecom/lifecycle/support/district';
import { gridReport } from '../bots/wecom/lifecycle/support/reports';
import { testMongoUri } from '../support/isolation';

const lead1: Actor = { userId: 'zj-lead1', name: '住建甲', role: 'dept_lead', deptCode: 'zhujian' };
const lead2: Actor = { userId: 'zj-lead2', name: '住建乙', role: 'dept_lead', deptCode: 'zhujian' };

let mongo: Connection;
let claimInserts = 0;
let base: Omit<LifecycleDeps, 'caseTurns'>;

beforeAll(async () => {
  mongo = await connectMongo(testMongoUri('transact'), { monitorCommands: true });
  mongo.getClient().on('commandStarted', (event) => {
    if (event.commandName === 'insert' && (event.command as { insert?: string }).insert === 'case_transitions') claimInserts += 1;
  });
  const org = new OrgRepository(mongo);
  await org.loadSeed(testDistrict);
  const repo = new CaseRepository(mongo);
  await repo.ensureIndexes();
  base = {
    cases: caseStoreFrom(repo, DISTRICT_ID),
    org,
    notifier: { caseChanged: async () => undefined, duplicateMerged: async () => undefined },
    deadlines: { syncCase: async () => undefined },
    clock: () => new Date(),
    config: lifecycleConfig(),
    sideEffectFailed: ({ error }) => {
      throw error;
    },
  };
});

afterAll(async () => {
  await mongo.dropDatabase();
  await mongo.close();
});

const ctx = (actor: Actor) => ({ actor, channel: 'wecom' as const, now: new Date() });

/** Both leads tap 接哨 on the same card at once: both commands start from the case as read before either wrote. */
async function doubleTap(deps: LifecycleDeps) {
  const { case: c } = await submitReport(deps, gridReport());
  claimInserts = 0;
  const results = await Promise.all([runCommandOn(deps, c, { type: 'accept' }, ctx(lead1)), runCommandOn(deps, c, { type: 'accept' }, ctx(lead2))]);
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, code: 'already_accepted', reason: expect.stringMatching(/该案件已由住建[甲乙]接哨/) });
  return claimInserts;
}

test('two commands of one process on one case take turns: the second reads the case again and claims no version', async () => {
  expect(await doubleTap({ ...base, caseTurns: new CaseWriteTurns() })).toBe(1);
});

test('without turns the same two race to the version claim, and the loser\'s claim fails at least once (the same answers)', async () => {
  // Twice or more: the loser may read the case again before the winner's update lands and lose once more.
  expect(await doubleTap(base)).toBeGreaterThanOrEqual(2);
});
