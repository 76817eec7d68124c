import {
  accept,
  applyCommand,
  checkInvariants,
  decideExtension,
  feedback,
  rate,
  rateWhistle,
  requestExtension,
  returnCase,
  verify,
  whistle,
  type Case,
} from '../../../src/cases';
import { HOUR, actors, ctx, newCase, ok } from './fixtures';

function whistled(): Case {
  return ok(whistle(newCase(), { departments: ['zhujian', 'chengguan', 'zhujian'] }, ctx(actors.dispatcher)));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('case lifecycle', () => {
  test('a new street-level case waits in triage with a created event', () => {
    const c = newCase();
    expect(c).toMatchObject({ state: 'triage', level: 'street', version: 0, parsed: { locationKey: '幸福路12号' } });
    expect(c.timeline.map((e) => e.type)).toEqual(['created']);
    expect(checkInvariants(c)).toEqual([]);
  });

  test('whistle → accept → feedback → verify → rate, the happy path', () => {
    let c = whistled();
    expect(c.state).toBe('whistled');
    expect(c.assignments.map((a) => [a.deptCode, a.role, a.state])).toEqual([
      ['zhujian', 'lead', 'pending'],
      ['chengguan', 'assisting', 'pending'],
    ]);
    const whistledAt = c.assignments[0]?.whistledAt.getTime() ?? 0;
    expect(c.assignments[0]?.acceptDueAt?.getTime()).toBe(whistledAt + HOUR);

    c = ok(accept(c, ctx(actors.chengguan)));
    expect(c.state).toBe('whistled');
    c = ok(accept(c, ctx(actors.zhangsan)));
    expect(c.state).toBe('in_progress');
    expect(c.assignments[0]).toMatchObject({ state: 'accepted', acceptedBy: 'zj-zhang', acceptedByName: '张三' });
    expect(c.assignments[0]?.finishDueAt?.getTime()).toBe((c.assignments[0]?.acceptedAt?.getTime() ?? 0) + 24 * HOUR);

    c = ok(feedback(c, { text: '已清理占道物品' }, ctx(actors.chengguan)));
    expect(c.state).toBe('in_progress');
    c = ok(feedback(c, { text: '已修复路面', media: [{ kind: 'image', ref: 'm1' }] }, ctx(actors.lisi)));
    expect(c.state).toBe('awaiting_verification');
    expect(c.verifyDueAt).toBeDefined();

    c = ok(verify(c, { outcome: 'solved' }, ctx(actors.reporter)));
    expect(c).toMatchObject({ state: 'closed', verification: { resolution: 'solved', by: 'grid-wang' } });

    c = ok(rate(c, { value: 'satisfied' }, ctx(actors.dispatcher)));
    expect(rate(c, { value: 'dissatisfied' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'already_rated' });

    c = ok(rateWhistle(c, { reasonable: true }, ctx(actors.zhangsan)));
    expect(rateWhistle(c, { reasonable: false }, ctx(actors.lisi))).toMatchObject({ ok: false, code: 'already_rated' });
    c = ok(rateWhistle(c, { reasonable: false, comment: '不属于本部门' }, ctx(actors.chengguan)));

    expect(c.timeline.map((e) => e.type)).toEqual([
      'created', 'whistled', 'accepted', 'accepted', 'feedback', 'feedback', 'verified', 'rated', 'whistle_rated', 'whistle_rated',
    ]);
    expect(c.version).toBe(9);
    expect(checkInvariants(c)).toEqual([]);
  });

  test('accept refusals say why, in Chinese', () => {
    expect(accept(newCase(), ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'illegal_state', reason: '该案件正在等待街道派单，暂不能接哨' });
    const c = ok(accept(whistled(), ctx(actors.zhangsan)));
    expect(accept(c, ctx(actors.lisi))).toEqual({ ok: false, code: 'already_accepted', reason: '该案件已由张三接哨' });
    expect(accept(c, ctx(actors.shuiwu))).toEqual({ ok: false, code: 'not_yours', reason: '该案件没有派给水务局' });
    expect(accept(c, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'not_allowed' });
  });

  test('commands never mutate their input', () => {
    const before = deepFreeze(whistled());
    const snapshot = JSON.stringify(before);
    const after = ok(accept(before, ctx(actors.zhangsan)));
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(after).not.toBe(before);
  });

  test('the lead returning sends the case back to triage and stands the others down', () => {
    let c = ok(accept(whistled(), ctx(actors.chengguan)));
    expect(returnCase(c, { reason: '  ' }, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'invalid_input' });
    c = ok(returnCase(c, { reason: '不属于住建局职责，应由城管处理' }, ctx(actors.zhangsan)));
    expect(c.state).toBe('triage');
    expect(c.counters.returns).toBe(1);
    expect(c.assignments.map((a) => a.state)).toEqual(['returned', 'withdrawn']);
    expect(accept(c, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'illegal_state' });

    c = ok(whistle(c, { departments: ['chengguan'] }, ctx(actors.dispatcher)));
    c = ok(accept(c, ctx(actors.chengguan)));
    expect(c.state).toBe('in_progress');
    expect(checkInvariants(c)).toEqual([]);
  });

  test('an assisting department returning leaves the case with the lead', () => {
    const c = ok(returnCase(whistled(), { reason: '无需配合' }, ctx(actors.chengguan)));
    expect(c.state).toBe('whistled');
    expect(c.assignments.map((a) => a.state)).toEqual(['pending', 'returned']);
    expect(accept(c, ctx(actors.chengguan))).toEqual({ ok: false, code: 'not_yours', reason: '城管局已退回该案件' });
    expect(checkInvariants(c)).toEqual([]);
  });

  test('feedback needs an accepted assignment; a second feedback is refused', () => {
    const c = whistled();
    expect(feedback(c, { text: '已处理' }, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'illegal_state', reason: '请先接哨再反馈处理结果' });
    const done = ok(feedback(ok(accept(c, ctx(actors.zhangsan))), { text: '已处理' }, ctx(actors.zhangsan)));
    expect(feedback(done, { text: '再次' }, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'already_done' });
    expect(returnCase(done, { reason: '退' }, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'already_done' });
  });

  test('an unsolved verification reopens the lead assignment with a fresh finish deadline', () => {
    let c = ok(feedback(ok(accept(whistled(), ctx(actors.zhangsan))), { text: '已处理' }, ctx(actors.zhangsan)));
    expect(verify(c, { outcome: 'reopen' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(verify(c, { outcome: 'solved' }, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'not_allowed' });
    const reopenCtx = ctx(actors.dispatcher);
    c = ok(verify(c, { outcome: 'reopen', note: '路面仍有坑洼' }, reopenCtx));
    expect(c.state).toBe('in_progress');
    expect(c.verifyDueAt).toBeUndefined();
    expect(c.counters.reopenings).toBe(1);
    expect(c.assignments[0]).toMatchObject({ state: 'accepted', reopenCount: 1, acceptedBy: 'zj-zhang' });
    expect(c.assignments[0]?.doneAt).toBeUndefined();
    expect(c.assignments[0]?.finishDueAt?.getTime()).toBe(reopenCtx.now.getTime() + 24 * HOUR);
    expect(c.timeline.at(-1)).toMatchObject({ type: 'reopened', details: { reason: '路面仍有坑洼', previousResult: '已处理' } });
    expect(checkInvariants(c)).toEqual([]);

    c = ok(feedback(c, { text: '重新修复' }, ctx(actors.zhangsan)));
    expect(verify(c, { outcome: 'unsolvable', note: '历史遗留' }, ctx(actors.reporter))).toMatchObject({ ok: false, code: 'not_allowed' });
    c = ok(verify(c, { outcome: 'unsolvable', note: '历史遗留，需规划改造' }, ctx(actors.dispatcher)));
    expect(c).toMatchObject({ state: 'closed', verification: { resolution: 'unsolved' } });
  });

  test('rating only once the case is closed, only by the reporter or the dispatcher', () => {
    const c = whistled();
    expect(rate(c, { value: 'satisfied' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'illegal_state' });
    expect(rate(c, { value: 'satisfied' }, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'not_allowed' });
  });

  test('extensions: one pending at a time; approval moves the deadline', () => {
    let c = ok(accept(whistled(), ctx(actors.zhangsan)));
    const due = c.assignments[0]?.finishDueAt ?? new Date(0);
    const later = new Date(due.getTime() + 48 * HOUR);
    expect(requestExtension(c, { reason: '需要采购材料', requestedDueAt: due }, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'invalid_input' });
    c = ok(requestExtension(c, { reason: '需要采购材料', requestedDueAt: later }, ctx(actors.zhangsan)));
    expect(requestExtension(c, { reason: '再延', requestedDueAt: later }, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'pending_extension' });
    expect(decideExtension(c, { deptCode: 'zhujian', approve: true }, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'not_allowed' });
    c = ok(decideExtension(c, { deptCode: 'zhujian', approve: true }, ctx(actors.dispatcher)));
    expect(c.assignments[0]?.finishDueAt).toEqual(later);
    expect(c.counters.extensions).toBe(1);
    expect(decideExtension(c, { deptCode: 'zhujian', approve: true }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'no_pending_extension' });

    c = ok(requestExtension(c, { reason: '天气原因', requestedDueAt: new Date(later.getTime() + HOUR) }, ctx(actors.zhangsan)));
    c = ok(decideExtension(c, { deptCode: 'zhujian', approve: false, note: '不予延期' }, ctx(actors.dispatcher)));
    expect(c.assignments[0]?.finishDueAt).toEqual(later);
    expect(c.counters.extensions).toBe(1);
    expect(checkInvariants(c)).toEqual([]);
  });

  test('a replayed command id is refused', () => {
    const c = whistled();
    const first = ok(applyCommand(c, { type: 'accept' }, ctx(actors.zhangsan, { commandId: 'wecom:evt-1' })));
    expect(applyCommand(first, { type: 'accept' }, ctx(actors.zhangsan, { commandId: 'wecom:evt-1' }))).toMatchObject({ ok: false, code: 'already_applied' });
    expect(first.timeline.at(-1)?.commandId).toBe('wecom:evt-1');
  });

  test('whistle validates its departments and state', () => {
    const c = newCase();
    expect(whistle(c, { departments: [] }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(whistle(c, { departments: ['police'] }, ctx(actors.dispatcher))).toMatchObject({ ok: false, reason: '未知的部门：police' });
    expect(whistle(c, { departments: ['zhujian'] }, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'not_allowed' });
    expect(whistle(whistled(), { departments: ['zhujian'] }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'illegal_state' });
  });
});
