import { KEY, QUESTION } from '../../../bots/wecom/lifecycle/buttonKeys';
import { runCaseCommand } from '../../../commands/runCaseCommand';
import { submitReport } from '../../../commands/submitReport';
import { checkInvariants } from '../../../src/cases';
import { cardUpdates, TestApp } from '../../support/testApp';
import { testDistrictApp } from '../../bots/wecom/lifecycle/support/district';
import { gridReport } from '../../bots/wecom/lifecycle/support/reports';

/**
 * The whole loop with two departments: whistle (住建 leads, 水务 assists) → a double tap on the
 * lead card → an outsider's tap → feedback from both → unsolved verification reopens → feedback
 * again → solved → satisfaction and whistle ratings. Every message goes through the fake WeCom.
 */
describe('closed loop through the fake WeChat Work server', () => {
  const h = new TestApp('lifecycle_loop', testDistrictApp);
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('runs whistle → report → handle → verify (unsolved, then solved) → evaluate', async () => {
    const submitted = await submitReport(h.lifecycle.deps, gridReport({ parsed: { departments: ['shuiwu'] } }));
    expect(submitted.outcome).toBe('whistled');
    const id = submitted.case.id;
    expect(submitted.case.number).toMatch(/^\d{4}-\d{6}$/);
    expect(submitted.case.assignments.map((a) => [a.deptCode, a.role, a.state])).toEqual([
      ['zhujian', 'lead', 'pending'],
      ['shuiwu', 'assisting', 'pending'],
    ]);
    await h.settle();

    // Whistle cards to each department's leads, group notices, the reporter told.
    const zjCard1 = h.lastCard('zj-lead1', 'whistle');
    const zjCard2 = h.lastCard('zj-lead2', 'whistle');
    expect(zjCard1.msgid).toBe(zjCard2.msgid);
    expect(h.cards('zj-staff')).toHaveLength(0);
    const swCard = h.lastCard('sw-lead', 'whistle');
    expect(JSON.stringify(swCard.body)).toContain('协同办理');
    expect(h.texts({ webhook: 'wh-zhujian' }).join()).toContain('吹哨');
    expect(h.texts({ webhook: 'wh-shuiwu' }).join()).toContain(submitted.case.number);
    expect(h.texts({ user: 'grid-zhang' }).join()).toContain('已吹哨派给住建局、水务局');

    // Double tap: both 住建 leads accept at once; exactly one wins.
    await Promise.all([h.tap('zj-lead1', zjCard1, KEY.accept), h.tap('zj-lead2', zjCard2, KEY.accept)]);
    await h.settle();
    let c = await h.case(id);
    expect(c.timeline.filter((e) => e.type === 'accepted')).toHaveLength(1);
    expect(c.state).toBe('in_progress');
    const winner = c.assignments[0]?.acceptedBy;
    const loser = winner === 'zj-lead1' ? 'zj-lead2' : 'zj-lead1';
    const updates = cardUpdates(zjCard1);
    expect(updates).toHaveLength(2);
    const forAll = updates.find((u) => u.for === 'all');
    expect(forAll?.text).toMatch(/^已由住建[甲乙]于\d\d-\d\d \d\d:\d\d接哨$/);
    expect(updates.find((u) => u.for !== 'all')).toEqual({ for: [loser], text: expect.stringContaining('已由') });
    const redrawn = zjCard1.updates.find((u) => u.for === 'all')?.body as { template_card: { horizontal_content_list: { keyname: string; value: string }[] } };
    expect(redrawn.template_card.horizontal_content_list.find((r) => r.keyname === '接哨人')?.value).toMatch(/住建[甲乙]/);
    expect(h.texts({ user: 'grid-zhang' }).join()).toContain('住建局已接哨报到');

    // An outsider (城管) taps the 住建 card: told it is not theirs, nothing changes.
    const before = c.version;
    await h.tap('cg-lead', zjCard1, KEY.accept);
    await h.settle();
    expect((await h.case(id)).version).toBe(before);
    expect(cardUpdates(zjCard1).at(-1)).toEqual({ for: ['cg-lead'], text: '非本部门案件，您无权操作' });

    // The assisting department accepts and reports; the lead department's group hears of it.
    await h.tap('sw-lead', swCard, KEY.accept);
    const assistDone = await runCaseCommand(h.lifecycle.deps, { number: c.number }, { type: 'feedback', text: '已疏通周边雨水井' }, { actor: { userId: 'sw-staff', role: 'dept_member', deptCode: 'shuiwu' }, channel: 'wecom', now: new Date() });
    expect(assistDone.ok).toBe(true);
    expect(assistDone.ok && assistDone.case.state).toBe('in_progress');

    // The lead reports with a photo: the case waits for the grid member's verification.
    const leadDone = await runCaseCommand(h.lifecycle.deps, { number: c.number }, { type: 'feedback', text: '坑已填平', media: [{ kind: 'image', ref: 'media/fixed.jpg' }] }, { actor: { userId: 'zj-staff', role: 'dept_member', deptCode: 'zhujian' }, channel: 'wecom', now: new Date() });
    expect(leadDone.ok && leadDone.case.state).toBe('awaiting_verification');
    await h.settle();
    expect(h.texts({ webhook: 'wh-zhujian' }).join()).toContain('已疏通周边雨水井');
    const verify1 = h.lastCard('grid-zhang', 'verify');

    // Unsolved: the reason picker, then the lead assignment reopens with the reason.
    await h.tap('grid-zhang', verify1, KEY.verifyUnsolved);
    await h.settle();
    const reasonCard = h.lastCard('grid-zhang', 'unsolved_reason');
    await h.tap('grid-zhang', reasonCard, KEY.unsolvedSubmit, [{ questionKey: QUESTION.reason, optionIds: ['partly'] }]);
    await h.settle();
    c = await h.case(id);
    expect(c.state).toBe('in_progress');
    expect(c.counters.reopenings).toBe(1);
    expect(c.assignments[0]).toMatchObject({ state: 'accepted', reopenCount: 1 });
    expect(c.timeline.at(-1)).toMatchObject({ type: 'reopened', details: { reason: '只处理了一部分' } });
    expect(h.texts({ user: 'zj-lead1' }).join()).toContain('核实未解决：只处理了一部分');

    // Fixed again; the old verification card is stale, the new one closes the case.
    await runCaseCommand(h.lifecycle.deps, { id }, { type: 'feedback', text: '已全部修复' }, { actor: { userId: 'zj-staff', role: 'dept_member', deptCode: 'zhujian' }, channel: 'wecom', now: new Date() });
    await h.settle();
    await h.tap('grid-zhang', verify1, KEY.verifySolved);
    await h.settle();
    expect(cardUpdates(verify1).at(-1)).toEqual({ for: ['grid-zhang'], text: '案件已核实，此卡片已失效' });
    expect((await h.case(id)).state).toBe('awaiting_verification');
    const verify2 = h.lastCard('grid-zhang', 'verify');
    expect(verify2.msgid).not.toBe(verify1.msgid);
    await h.tap('grid-zhang', verify2, KEY.verifySolved);
    await h.settle();
    c = await h.case(id);
    expect(c.state).toBe('closed');
    expect(c.verification?.resolution).toBe('solved');
    expect(h.texts({ user: 'grid-zhang' }).join()).toContain('已核实结项');

    // Evaluation both ways.
    await h.tap('grid-zhang', h.lastCard('grid-zhang', 'satisfaction'), KEY.rateSatisfied);
    await h.tap('zj-lead2', h.lastCard('zj-lead2', 'whistle_rating'), KEY.whistleReasonable);
    await h.tap('sw-lead', h.lastCard('sw-lead', 'whistle_rating'), KEY.whistleUnreasonable);
    await h.settle();
    c = await h.case(id);
    expect(c.satisfaction?.value).toBe('satisfied');
    expect(c.assignments.map((a) => a.whistleRating?.reasonable)).toEqual([true, false]);
    expect(checkInvariants(c)).toEqual([]);
    expect(await h.failedSends()).toEqual([]);
  });
});
