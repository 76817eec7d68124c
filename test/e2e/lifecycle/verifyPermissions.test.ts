import { KEY } from '../../../bots/wecom/lifecycle/buttonKeys';
import { runCaseCommand } from '../../../commands/runCaseCommand';
import { submitReport } from '../../../commands/submitReport';
import { districtSeedSchema } from '../../../config/district';
import { captureLogger, type LogLine } from '../../support/capturedLogs';
import { cardUpdates, TestApp } from '../../support/testApp';
import { TEST_APP_CHATS, testDistrict } from '../../bots/wecom/lifecycle/support/district';
import { gridReport } from '../../bots/wecom/lifecycle/support/reports';

/** The test district plus a second grid member in 张网格's community (comm1). */
const district = districtSeedSchema.parse({ ...testDistrict, users: [...testDistrict.users, { userId: 'grid-wu', name: '吴网格', roles: ['grid_member'], gridId: 'grid1' }] });

describe('who may verify (核实) a case, through the fake WeChat Work server', () => {
  const logs: LogLine[] = [];
  const h = new TestApp('verify_permissions', { district, appChats: TEST_APP_CHATS, logger: captureLogger(logs) });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  /** Whistled to 住建, accepted, fed back: the case waits for verification. */
  async function awaitingVerification(report: ReturnType<typeof gridReport>): Promise<string> {
    const { case: created } = await submitReport(h.lifecycle.deps, report);
    await h.settle();
    await h.tap('zj-lead1', h.lastCard('zj-lead1', 'whistle'), KEY.accept);
    const done = await runCaseCommand(h.lifecycle.deps, { id: created.id }, { type: 'feedback', text: '坑已填平' }, { actor: { userId: 'zj-staff', role: 'dept_member', deptCode: 'zhujian' }, channel: 'wecom', now: new Date() });
    expect(done.ok && done.case.state).toBe('awaiting_verification');
    await h.settle();
    return created.id;
  }

  it("refuses another grid member of the same community who taps the reporter's card (TaskId), logs it and changes nothing", async () => {
    const id = await awaitingVerification(gridReport());
    const card = h.lastCard('grid-zhang', 'verify');
    const before = await h.case(id);
    logs.length = 0;

    await h.tap('grid-wu', card, KEY.verifySolved);
    await h.tap('grid-wu', card, KEY.verifyUnsolved);

    const after = await h.case(id);
    expect(after).toMatchObject({ state: 'awaiting_verification', version: before.version });
    expect(after.timeline).toHaveLength(before.timeline.length);
    expect(cardUpdates(card).filter((u) => u.for !== 'all')).toEqual([
      { for: ['grid-wu'], text: '只有上报该问题的网格员或街道可以核实' },
      { for: ['grid-wu'], text: '只有上报该问题的网格员或街道可以核实' },
    ]);
    expect(h.cards('grid-wu', 'unsolved_reason')).toEqual([]);
    const refusals = logs.filter((l) => l.msg === 'card tap refused: not allowed');
    expect(refusals).toEqual([
      expect.objectContaining({ level: 40, caseId: id, userId: 'grid-wu', eventKey: KEY.verifySolved, code: 'not_allowed' }),
      expect.objectContaining({ level: 40, caseId: id, userId: 'grid-wu', eventKey: KEY.verifyUnsolved, code: 'not_allowed' }),
    ]);

    // The reporter still can.
    await h.tap('grid-zhang', card, KEY.verifySolved);
    expect((await h.case(id)).state).toBe('closed');
  });

  it("lets the community's staff verify a resident's case and refuses a grid member of another community", async () => {
    const id = await awaitingVerification(gridReport({ source: 'resident', channel: 'mp', reporter: { openid: 'o-resident-1' } }));
    const card = h.lastCard('comm-worker', 'verify');
    const before = await h.case(id);

    await h.tap('grid-li', card, KEY.verifySolved);
    expect(await h.case(id)).toMatchObject({ state: 'awaiting_verification', version: before.version });
    expect(cardUpdates(card).at(-1)).toEqual({ for: ['grid-li'], text: '只有本社区工作人员或街道可以核实' });

    await h.tap('grid-wu', card, KEY.verifySolved);
    expect(await h.case(id)).toMatchObject({ state: 'closed', verification: { by: 'grid-wu', resolution: 'solved' } });
  });
});
