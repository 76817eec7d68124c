import { KEY, NO_DEPARTMENT, QUESTION, TYPED_REASON } from '../../../bots/wecom/lifecycle/buttonKeys';
import { actorForUser } from '../../../commands/actors';
import { CaseBusyError } from '../../../commands/caseBusy';
import { runCaseCommand } from '../../../commands/runCaseCommand';
import { submitReport } from '../../../commands/submitReport';
import { checkInvariants } from '../../../src/cases';
import { caseTransitionModel } from '../../../store/models/case';
import { calendarSla } from '../../support/calendarSla';
import { cardUpdates, TestApp } from '../../support/testApp';
import { testDistrictApp } from '../../bots/wecom/lifecycle/support/district';
import { gridReport } from '../../bots/wecom/lifecycle/support/reports';

const HOUR = 3600_000;

describe('lifecycle branches through the fake WeChat Work server', () => {
  const h = new TestApp('lifecycle_branches', testDistrictApp);
  beforeAll(() => h.start());
  afterAll(() => h.stop());
  afterEach(async () => expect(await h.failedSends()).toEqual([]));

  it('cards and group notices mask the phone numbers and plates in the report', async () => {
    const text = '测试路99号门口路面塌陷，车牌京A12345的车陷进去了，联系13812345678';
    const { case: created } = await submitReport(h.lifecycle.deps, gridReport({ text, parsed: { category: 'road' } }));
    await h.settle();
    const sent = JSON.stringify([h.lastCard('zj-lead1', 'whistle').body, h.fake.inbox.webhook('wh-zhujian').map((m) => m.body)]);
    expect(sent).toContain(created.number);
    expect(sent).toContain('138****5678');
    expect(sent).not.toContain('13812345678');
    expect(sent).not.toContain('京A12345');
    // The case keeps what the reporter wrote.
    expect((await h.case(created.id)).text).toBe(text);
  });

  it('a return with a reason goes back to the dispatcher, who re-whistles from the triage card', async () => {
    const { case: created, outcome } = await submitReport(h.lifecycle.deps, gridReport({ parsed: { category: 'drainage' } }));
    expect(outcome).toBe('whistled');
    await h.settle();
    const swCard = h.lastCard('sw-lead', 'whistle');

    // 退回 opens the reason picker; "other" asks for a typed reason and changes nothing.
    await h.tap('sw-lead', swCard, KEY.return);
    await h.settle();
    const picker = h.lastCard('sw-lead', 'return_reason');
    await h.tap('sw-lead', picker, KEY.returnSubmit, [{ questionKey: QUESTION.reason, optionIds: [TYPED_REASON] }]);
    await h.settle();
    expect(cardUpdates(picker).at(-1)?.text).toContain(`退回 ${created.number}`);
    expect((await h.case(created.id)).state).toBe('whistled');

    await h.tap('sw-lead', picker, KEY.returnSubmit, [{ questionKey: QUESTION.reason, optionIds: ['not_our_duty'] }]);
    await h.settle();
    let c = await h.case(created.id);
    expect(c.state).toBe('triage');
    expect(c.counters.returns).toBe(1);
    expect(c.assignments[0]).toMatchObject({ deptCode: 'shuiwu', state: 'returned', returnReason: '不属于本部门职责' });

    // The dispatcher's triage card says why; a tap on the returned card is refused.
    const triage = h.lastCard('dispatcher1', 'triage');
    expect(JSON.stringify(triage.body)).toContain('水务局退回：不属于本部门职责');
    expect(h.cards('dispatcher2')).toHaveLength(0);
    await h.tap('sw-lead', swCard, KEY.accept);
    await h.settle();
    expect(cardUpdates(swCard).at(-1)).toEqual({ for: ['sw-lead'], text: '该案件正在等待街道派单，暂不能接哨' });

    // Re-whistle to 住建 (lead) + 城管 (assisting).
    await h.tap('dispatcher1', triage, KEY.triageSubmit, [
      { questionKey: QUESTION.lead, optionIds: ['zhujian'] },
      { questionKey: QUESTION.assist, optionIds: ['chengguan'] },
    ]);
    await h.settle();
    c = await h.case(created.id);
    expect(c.state).toBe('whistled');
    expect(c.assignments.filter((a) => a.state === 'pending').map((a) => [a.deptCode, a.role])).toEqual([
      ['zhujian', 'lead'],
      ['chengguan', 'assisting'],
    ]);
    expect(cardUpdates(triage).at(-1)).toEqual({ for: 'all', text: '已吹哨：住建局、城管局' });
    expect(h.lastCard('zj-lead1', 'whistle')).toBeDefined();
    expect(h.lastCard('cg-lead', 'whistle')).toBeDefined();
    expect(h.texts({ chat: 'chatchengguan' }).join()).toContain(created.number);

    // The triage card is now stale.
    await h.tap('dispatcher1', triage, KEY.triageSubmit, [{ questionKey: QUESTION.lead, optionIds: ['shuiwu'] }, { questionKey: QUESTION.assist, optionIds: [NO_DEPARTMENT] }]);
    await h.settle();
    expect(cardUpdates(triage).at(-1)?.text).toContain('已失效');
    expect(checkInvariants(await h.case(created.id))).toEqual([]);
  });

  it('a replayed callback that reaches the handlers again is a no-op (the tap is the command id)', async () => {
    const { case: created } = await submitReport(h.lifecycle.deps, gridReport());
    await h.settle();
    const card = h.lastCard('zj-lead1', 'whistle');
    await h.tapDirect('zj-lead1', card, KEY.accept, 'evt:zj-lead1:1700000000:replayed');
    const once = await h.case(created.id);
    await h.tapDirect('zj-lead1', card, KEY.accept, 'evt:zj-lead1:1700000000:replayed');
    await h.settle();
    const twice = await h.case(created.id);
    expect(twice.version).toBe(once.version);
    expect(twice.timeline.filter((e) => e.type === 'accepted')).toHaveLength(1);
    expect(cardUpdates(card)).toHaveLength(1);
  });

  it('a tap whose command was stored by a process that died before redrawing the card is answered by its retry', async () => {
    const { case: created } = await submitReport(h.lifecycle.deps, gridReport());
    await h.settle();
    const card = h.lastCard('zj-lead1', 'whistle');
    const dedupeKey = 'evt:zj-lead1:1700000001:died-after-store';
    // The dying process got as far as storing the tap's command, under the tap's command id.
    const actor = await actorForUser(h.lifecycle.deps.org, 'zj-lead1', ['dept_lead']);
    if (!actor) throw new Error('zj-lead1 is not a department lead in the test district');
    const stored = await runCaseCommand(h.lifecycle.deps, { id: created.id }, { type: 'accept' }, { actor, channel: 'wecom', now: new Date(), commandId: `tap:${dedupeKey}` });
    expect(stored.ok).toBe(true);
    await h.settle();
    expect(cardUpdates(card)).toHaveLength(0);

    // Its job is retried elsewhere: the card is redrawn for everyone, once, and the case is not changed again.
    await h.tapDirect('zj-lead1', card, KEY.accept, dedupeKey);
    await h.settle();
    await h.tapDirect('zj-lead1', card, KEY.accept, dedupeKey);
    await h.settle();
    const updates = cardUpdates(card);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.for).toBe('all');
    expect(JSON.stringify(updates[0])).toContain('接哨');
    const after = await h.case(created.id);
    expect(after.timeline.filter((e) => e.type === 'accepted')).toHaveLength(1);
  });

  it("a tap on a case a crashed writer still holds is thrown back to its job to retry, the card's response code unspent", async () => {
    const { case: created } = await submitReport(h.lifecycle.deps, gridReport());
    await h.settle();
    const card = h.lastCard('zj-lead1', 'whistle');
    const held = await h.case(created.id);
    // A writer that claimed the next version and died before saving it; its claim is fresh.
    const claims = caseTransitionModel(h.mongo);
    await claims.create({ _id: `${held.id}:${held.version + 1}`, caseId: held.id, version: held.version + 1, claimedAt: new Date(), eventTypes: ['accepted'] });
    const dedupeKey = 'evt:zj-lead1:1700000002:held-by-crashed-writer';
    await expect(h.tapDirect('zj-lead1', card, KEY.accept, dedupeKey)).rejects.toBeInstanceOf(CaseBusyError);
    await h.settle();
    expect(cardUpdates(card)).toEqual([]);
    expect((await h.case(created.id)).version).toBe(held.version);

    // Once the claim is cleared as stale, the job's retry accepts and redraws the card for everyone.
    await claims.deleteOne({ _id: `${held.id}:${held.version + 1}` });
    await h.tapDirect('zj-lead1', card, KEY.accept, dedupeKey);
    await h.settle();
    const accepted = await h.case(created.id);
    expect(accepted.timeline.filter((e) => e.type === 'accepted')).toHaveLength(1);
    expect(cardUpdates(card).map((u) => u.for)).toEqual(['all']);
  });

  it('an extension request is approved by the dispatcher and moves the finish deadline', async () => {
    const planned = new TestApp('lifecycle_extension', { ...testDistrictApp, sla: calendarSla({ accept: '2h', finish: '48h', verify: '48h' }) });
    await planned.start();
    try {
      const { case: created } = await submitReport(planned.lifecycle.deps, gridReport());
      await planned.settle();
      await planned.tap('zj-lead1', planned.lastCard('zj-lead1', 'whistle'), KEY.accept);
      const accepted = await planned.case(created.id);
      const due = accepted.assignments[0]?.finishDueAt;
      expect(due).toBeInstanceOf(Date);
      const requestedDueAt = new Date((due?.getTime() ?? 0) + 72 * HOUR);

      const requested = await runCaseCommand(planned.lifecycle.deps, { number: created.number }, { type: 'requestExtension', reason: '需等待管线单位配合', requestedDueAt }, {
        actor: { userId: 'zj-lead1', name: '住建甲', role: 'dept_lead', deptCode: 'zhujian' },
        channel: 'wecom',
        now: new Date(),
      });
      expect(requested.ok).toBe(true);
      await planned.settle();
      const card = planned.lastCard('dispatcher1', 'extension');
      expect(JSON.stringify(card.body)).toContain('需等待管线单位配合');

      // Only street staff decide; then the dispatcher approves.
      await planned.tap('zj-lead2', card, KEY.extensionApprove);
      await planned.tap('dispatcher1', card, KEY.extensionApprove);
      await planned.settle();
      const c = await planned.case(created.id);
      expect(c.assignments[0]?.finishDueAt?.toISOString()).toBe(requestedDueAt.toISOString());
      expect(c.counters.extensions).toBe(1);
      expect(cardUpdates(card).map((u) => u.for)).toEqual([['zj-lead2'], 'all']);
      expect(planned.texts({ user: 'zj-lead1' }).join()).toContain('延期申请已同意');
      expect(checkInvariants(c)).toEqual([]);
    } finally {
      await planned.stop();
    }
  });

  it('a duplicate report is merged into the open case and its reporter told', async () => {
    const first = await submitReport(h.lifecycle.deps, gridReport({ parsed: { location: '幸福路18号' } }));
    const second = await submitReport(h.lifecycle.deps, gridReport({ reporter: { userId: 'grid-li', name: '李网格' }, communityId: 'comm1', parsed: { location: '幸福路18号 ' } }));
    expect(second.outcome).toBe('merged');
    expect(second.duplicateOf?.id).toBe(first.case.id);
    expect(second.case).toMatchObject({ state: 'merged', mergedInto: first.case.id });
    expect(second.duplicateOf?.mergedDuplicates).toEqual([second.case.id]);
    await h.settle();
    expect(h.texts({ user: 'grid-li' }).join()).toContain(`与正在办理的案件 ${first.case.number} 是同一问题`);
    // Not whistled twice.
    expect(h.cards('zj-lead1', 'whistle').filter((m) => JSON.stringify(m.body).includes(second.case.number))).toHaveLength(0);

    const elsewhere = await submitReport(h.lifecycle.deps, gridReport({ parsed: { location: '幸福路20号' } }));
    expect(elsewhere.outcome).toBe('whistled');
  });

  it('an unsure parse goes to the dispatcher as a triage card', async () => {
    const { case: created, outcome } = await submitReport(h.lifecycle.deps, gridReport({ parsed: { confidence: 0.3 } }));
    expect(outcome).toBe('triage');
    expect(created.state).toBe('triage');
    await h.settle();
    const card = h.lastCard('dispatcher1', 'triage');
    const leadSelect = (card.body.template_card as { select_list: { question_key: string; selected_id?: string }[] }).select_list[0];
    expect(leadSelect).toMatchObject({ question_key: 'lead', selected_id: 'zhujian' });
  });

  it("the triage card pre-fills the routing's own decision, the parser's assisting departments included", async () => {
    const { case: created } = await submitReport(h.lifecycle.deps, gridReport({ parsed: { confidence: 0.3, departments: ['chengguan'] } }));
    expect(created.routedDepartments).toEqual(['zhujian', 'chengguan']);
    await h.settle();
    const selects = (h.lastCard('dispatcher1', 'triage').body.template_card as { select_list: { question_key: string; selected_id?: string }[] }).select_list;
    expect(selects.find((s) => s.question_key === QUESTION.assist)?.selected_id).toBe('chengguan');
    expect((await h.case(created.id)).routedDepartments).toEqual(['zhujian', 'chengguan']);
  });

  it('a community-level case is handled by the grid member or raised to the street with 上报街道', async () => {
    const { case: created, outcome } = await submitReport(h.lifecycle.deps, gridReport({ level: 'community', parsed: { category: 'sanitation' } }));
    expect(outcome).toBe('community');
    await h.settle();
    const card = h.lastCard('grid-zhang', 'community');
    await h.tap('grid-zhang', card, KEY.escalate);
    await h.settle();
    const c = await h.case(created.id);
    expect(c).toMatchObject({ state: 'triage', level: 'street' });
    expect(cardUpdates(card).at(-1)).toEqual({ for: 'all', text: '已上报街道' });
    expect(JSON.stringify(h.lastCard('dispatcher1', 'triage').body)).toContain('社区上报');

    const handled = await submitReport(h.lifecycle.deps, gridReport({ level: 'community', parsed: { category: 'sanitation' } }));
    await h.settle();
    await h.tap('grid-zhang', h.lastCard('grid-zhang', 'community'), KEY.communityAccept);
    const done = await runCaseCommand(h.lifecycle.deps, { id: handled.case.id }, { type: 'feedback', text: '已清理' }, { actor: { userId: 'grid-zhang', role: 'grid', communityId: 'comm1' }, channel: 'wecom', now: new Date() });
    expect(done.ok && done.case.state).toBe('awaiting_verification');
    await h.settle();
    await h.tap('grid-zhang', h.lastCard('grid-zhang', 'verify'), KEY.verifySolved);
    expect((await h.case(handled.case.id)).state).toBe('closed');
  });
});
