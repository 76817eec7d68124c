import { runCaseCommand } from '../../../../commands/runCaseCommand';
import { submitReport, type ReportSubmission } from '../../../../commands/submitReport';
import type { Case } from '../../../../src/cases';
import { conversationApp, DEMO_DISTRICT } from './support/conversationApp';

const PHONE = '13912345678';
const PLATE = '京A12345';
let seq = 0;

function report(overrides: Partial<ReportSubmission>): ReportSubmission {
  seq += 1;
  return {
    source: 'grid',
    channel: 'wecom',
    reporter: { userId: 'grid-zhang', name: '张网格' },
    districtId: DEMO_DISTRICT,
    streetId: 'wenming',
    communityId: 'nongji',
    gridId: 'nongji-1',
    text: `农机路${seq}号门口路面塌陷，车牌${PLATE}的车陷进去了，联系${PHONE}`,
    media: [],
    parsed: { category: 'road', urgency: 'daily', location: `农机路${seq}号`, departments: [], confidence: 0.95 },
    ...overrides,
  };
}

/** Who may read a case by sending its number (README, "Who may see and do what"). */
describe('reading a case by its number', () => {
  const h = conversationApp('case_read_access');
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  /** The bot's answer to `userId` sending the case number. */
  async function ask(userId: string, c: Case): Promise<string> {
    const from = h.inboxOf(userId).length;
    await h.inbound.text(userId, c.number);
    return h.textContaining(userId, from, `案件 ${c.number}`);
  }

  async function created(overrides: Partial<ReportSubmission> = {}): Promise<Case> {
    const { case: c } = await submitReport(h.lifecycle.deps, report(overrides));
    expect(c.assignments.map((a) => a.deptCode)).toEqual(['zhujian']);
    return c;
  }

  it('refuses a grid member of another community and a department not on the case, clearly and without the text', async () => {
    const c = await created();
    for (const userId of ['grid-wang', 'chengguan-staff', 'shuiwu-lead']) {
      const answer = await ask(userId, c);
      expect(answer).toContain(`您无权查看案件 ${c.number}`);
      expect(answer).not.toContain('农机路');
      expect(answer).not.toContain('塌陷');
    }
  });

  it('refuses every kind of case alike: residents\' and hotline cases are not open to the district', async () => {
    const resident = await created({ source: 'resident', channel: 'mp', reporter: { openid: 'o-resident-read' } });
    const hotline = await created({ source: 'hotline', channel: 'hotline', reporter: { name: '12345热线' } });
    for (const c of [resident, hotline]) {
      expect(await ask('grid-wang', c)).toContain(`您无权查看案件 ${c.number}`);
      expect(await ask('yuanlin-lead', c)).toContain(`您无权查看案件 ${c.number}`);
    }
  });

  it('shows the reporter their own case as written', async () => {
    const c = await created();
    const answer = await ask('grid-zhang', c);
    expect(answer).toContain(PHONE);
    expect(answer).toContain(PLATE);
  });

  it('lets the street, the community, the district and admins read it, phones and plates masked, with the reporter named', async () => {
    const c = await created();
    for (const userId of ['dispatcher-wenming', 'street-leader-wenming', 'grid-li', 'community-nongji', 'district-leader', 'district-admin']) {
      const answer = await ask(userId, c);
      expect(answer).toContain('塌陷');
      expect(answer).not.toContain(PHONE);
      expect(answer).not.toContain(PLATE);
      expect(answer).toContain('139****5678');
      expect(answer).toContain('反映人：张网格');
    }
  });

  it("hides a resident's identity from the department on the case until the street releases it", async () => {
    const c = await created({ source: 'resident', channel: 'mp', reporter: { openid: 'o-resident-release', name: '李居民' } });
    expect(await ask('dispatcher-wenming', c)).toContain('反映人：李居民');
    const before = await ask('zhujian-staff', c);
    expect(before).toContain('塌陷');
    expect(before).not.toContain('李居民');
    expect(before).not.toContain(PHONE);
    expect(before).toContain('反映人：由街道保管，街道公开后可见');

    const released = await runCaseCommand(h.lifecycle.deps, { id: c.id }, { type: 'releaseReporter', reason: '部门需上门核实' }, { actor: { userId: 'dispatcher-wenming', role: 'dispatcher' }, channel: 'console', now: new Date() });
    expect(released.ok).toBe(true);
    const after = await ask('zhujian-lead', c);
    expect(after).toContain('反映人：李居民');
    expect(after).not.toContain(PHONE);
  });
});
