import { actOnCase } from '../../../commands/actOnCase';
import { submitReport } from '../../../commands/submitReport';
import { districtSeedSchema } from '../../../config/district';
import type { Actor } from '../../../src/cases';
import { TestApp } from '../../support/testApp';
import { TEST_APP_CHATS, testDistrict } from '../../bots/wecom/lifecycle/support/district';
import { gridReport } from '../../bots/wecom/lifecycle/support/reports';

const district = districtSeedSchema.parse({
  ...testDistrict,
  users: [
    ...testDistrict.users,
    { userId: 'district-lead', name: '区领导甲', roles: ['district_leader'] },
    { userId: 'district-lead2', name: '区领导乙', roles: ['district_leader'] },
  ],
});
const dispatcher: Actor = { userId: 'dispatcher1', name: '调度员', role: 'dispatcher' };

/**
 * 提请区级督办 from the command centre: the same use case as every console action; the notices go
 * through the outbox to the fake WeChat Work server, whose recorded calls are read here.
 */
describe('提请区级督办 tells the district and the departments on the case', () => {
  const h = new TestApp('district_escalation', { district, appChats: TEST_APP_CHATS });
  beforeAll(() => h.start());
  afterAll(() => h.stop());
  afterEach(async () => expect(await h.failedSends()).toEqual([]));

  it('sends the district leaders a message, the leadership chat a notice and each working department\'s chat a notice with its leads mentioned', async () => {
    const { case: created } = await submitReport(h.lifecycle.deps, gridReport({ parsed: { category: 'road', departments: ['zhujian', 'chengguan'] } }));
    await h.settle();
    expect(created.assignments.map((a) => a.deptCode)).toEqual(['zhujian', 'chengguan']);
    const before = { leaders: h.texts({ webhook: 'wh-leaders' }).length, zhujian: h.texts({ webhook: 'wh-zhujian' }).length, chengguan: h.texts({ chat: 'chatchengguan' }).length };

    const result = await actOnCase(h.lifecycle.deps, { caseId: created.id, command: { type: 'escalateToDistrict', reason: '部门推诿，三次催办未果' }, actor: dispatcher, mayView: () => true });
    expect(result.ok).toBe(true);
    await h.settle();

    for (const leader of ['district-lead', 'district-lead2']) {
      const texts = h.texts({ user: leader });
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain(`【提请区级督办】${created.number}`);
      expect(texts[0]).toContain('测试街道调度员提请区级督办：部门推诿，三次催办未果');
      expect(texts[0]).toContain('承办部门：住建局、城管局');
    }
    const leadership = h.texts({ webhook: 'wh-leaders' }).slice(before.leaders);
    expect(leadership).toHaveLength(1);
    expect(leadership[0]).toContain(`【提请区级督办】${created.number}`);

    const zhujian = h.fake.inbox.webhook('wh-zhujian').slice(before.zhujian);
    expect(zhujian).toHaveLength(1);
    expect(zhujian[0]?.body).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining(`【区级督办】${created.number}`), mentioned_list: ['zj-lead1', 'zj-lead2'] } });
    const chengguan = h.texts({ chat: 'chatchengguan' }).slice(before.chengguan);
    expect(chengguan).toEqual([expect.stringContaining('区指挥中心将跟踪城管局的办理')]);
    // Nobody else heard of it.
    expect(h.texts({ webhook: 'wh-shuiwu' }).join('')).not.toContain('督办');
    expect(h.texts({ user: 'dispatcher2' }).join('')).not.toContain('督办');

    // A second 提请 is refused by the use case and sends nothing more.
    const again = await actOnCase(h.lifecycle.deps, { caseId: created.id, command: { type: 'escalateToDistrict', reason: '再次' }, actor: dispatcher, mayView: () => true });
    expect(again).toMatchObject({ ok: false, code: 'already_applied' });
    await h.settle();
    expect(h.texts({ user: 'district-lead' })).toHaveLength(1);
    expect(h.texts({ webhook: 'wh-leaders' }).slice(before.leaders)).toHaveLength(1);
  });

  it('tells only the departments still working on it: one that returned it hears nothing', async () => {
    const { case: created } = await submitReport(h.lifecycle.deps, gridReport({ parsed: { category: 'drainage', departments: ['shuiwu'] } }));
    await h.settle();
    const returned = await actOnCase(h.lifecycle.deps, { caseId: created.id, command: { type: 'return', reason: '不属于本部门职责' }, actor: { userId: 'sw-lead', name: '水务甲', role: 'dept_lead', deptCode: 'shuiwu' }, mayView: () => true });
    expect(returned.ok).toBe(true);
    await h.settle();
    const shuiwuBefore = h.texts({ webhook: 'wh-shuiwu' }).length;
    const leadersBefore = h.texts({ user: 'district-lead' }).length;
    const result = await actOnCase(h.lifecycle.deps, { caseId: created.id, command: { type: 'escalateToDistrict', reason: '无部门认领' }, actor: dispatcher, mayView: () => true });
    expect(result.ok).toBe(true);
    await h.settle();
    expect(h.texts({ webhook: 'wh-shuiwu' })).toHaveLength(shuiwuBefore);
    const told = h.texts({ user: 'district-lead' }).slice(leadersBefore);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('无部门认领');
    expect(told[0]).not.toContain('承办部门');
  });
});
