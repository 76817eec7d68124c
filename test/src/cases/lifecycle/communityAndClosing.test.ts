import {
  absorbDuplicate,
  accept,
  cancel,
  checkInvariants,
  escalateToStreet,
  feedback,
  merge,
  verify,
  whistle,
} from '../../../../src/cases';
import { actors, ctx, newCase, ok } from '../fixtures';

const communityCase = () => newCase({ level: 'community', source: 'resident', reporter: { openid: 'openid-li' } });

describe('community level', () => {
  test('a grid member of the community takes it on, reports, and it is verified', () => {
    let c = communityCase();
    expect(c.state).toBe('community');
    expect(accept(c, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'not_yours' });
    expect(accept(c, ctx({ ...actors.reporter, communityId: 'c9' }))).toMatchObject({ ok: false, code: 'not_allowed' });
    c = ok(accept(c, ctx(actors.reporter)));
    expect(c.state).toBe('in_progress');
    expect(c.assignments).toMatchObject([{ deptCode: 'shequ', role: 'lead', state: 'accepted' }]);
    c = ok(feedback(c, { text: '已联系物业清运' }, ctx(actors.reporter)));
    c = ok(verify(c, { outcome: 'solved' }, ctx(actors.dispatcher)));
    expect(c.state).toBe('closed');
    expect(checkInvariants(c)).toEqual([]);
  });

  test('上报街道 moves it to the street dispatcher, who can then whistle', () => {
    let c = ok(accept(communityCase(), ctx(actors.reporter)));
    expect(escalateToStreet(c, { reason: '' }, ctx(actors.reporter))).toMatchObject({ ok: false, code: 'invalid_input' });
    c = ok(escalateToStreet(c, { reason: '涉及违建，社区无执法权' }, ctx(actors.reporter)));
    expect(c).toMatchObject({ level: 'street', state: 'triage' });
    expect(c.assignments.map((a) => a.state)).toEqual(['withdrawn']);
    expect(escalateToStreet(c, { reason: 'x' }, ctx(actors.reporter))).toMatchObject({ ok: false, code: 'illegal_state' });
    c = ok(whistle(c, { departments: ['chengguan'] }, ctx(actors.dispatcher)));
    expect(checkInvariants(c)).toEqual([]);
  });

  test('the dispatcher may whistle a community case directly', () => {
    const c = ok(whistle(communityCase(), { departments: ['chengguan'] }, ctx(actors.dispatcher)));
    expect(c).toMatchObject({ level: 'street', state: 'whistled' });
  });
});

describe('merge and cancel', () => {
  test('a duplicate points at its target and the target lists it', () => {
    const target = ok(whistle(newCase({}, 'case-A'), { departments: ['zhujian'] }, ctx(actors.dispatcher)));
    const dup = ok(whistle(newCase({}, 'case-B'), { departments: ['zhujian'] }, ctx(actors.dispatcher)));
    const merged = ok(merge(dup, { targetId: 'case-A', targetNumber: '2026-000001' }, ctx(actors.dispatcher)));
    expect(merged).toMatchObject({ state: 'merged', mergedInto: 'case-A' });
    expect(merged.assignments.map((a) => a.state)).toEqual(['withdrawn']);
    const absorbed = ok(absorbDuplicate(target, { duplicateId: 'case-B' }, ctx(actors.dispatcher)));
    expect(absorbed.mergedDuplicates).toEqual(['case-B']);
    expect(absorbDuplicate(absorbed, { duplicateId: 'case-B' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'already_applied' });
    expect(merge(merged, { targetId: 'case-A' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'illegal_state' });
    expect(merge(target, { targetId: 'case-A' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(checkInvariants(merged)).toEqual([]);
    expect(checkInvariants(absorbed)).toEqual([]);
  });

  test('the reporter may cancel only before departments are involved; street staff any open case', () => {
    const resident = { ...actors.resident };
    const fresh = newCase({ source: 'resident', reporter: { openid: 'openid-li' } });
    expect(ok(cancel(fresh, { reason: '已自行解决' }, ctx(resident))).state).toBe('cancelled');
    const busy = ok(whistle(fresh, { departments: ['zhujian'] }, ctx(actors.dispatcher)));
    expect(cancel(busy, { reason: '不需要了' }, ctx(resident))).toMatchObject({ ok: false, code: 'illegal_state', reason: '案件已在办理中，请联系街道撤销' });
    expect(cancel(busy, { reason: '重复' }, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'not_allowed' });
    const cancelled = ok(cancel(busy, { reason: '反映人撤回' }, ctx(actors.dispatcher)));
    expect(cancelled.assignments.map((a) => a.state)).toEqual(['withdrawn']);
    expect(cancel(cancelled, { reason: 'x' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'illegal_state' });
    expect(checkInvariants(cancelled)).toEqual([]);
  });
});
