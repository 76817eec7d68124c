import { accept, applyCommand, checkInvariants, feedback, rateDepartment, returnCase, verify, whistle, type Case } from '../../../src/cases';
import { assignmentFigures } from '../../../src/stats';
import { actors, ctx, newCase, ok } from './fixtures';

const leader = { userId: 'street-boss', name: '街道主任', role: 'leader' } as const;

/** 住建 leads and 城管 assists; both finish; 水务 was whistled first and returned it. */
function closedCase(): Case {
  let c = ok(whistle(newCase(), { departments: ['shuiwu'] }, ctx(actors.dispatcher)));
  c = ok(returnCase(c, { reason: '不属于水务' }, ctx(actors.shuiwu)));
  c = ok(whistle(c, { departments: ['zhujian', 'chengguan'] }, ctx(actors.dispatcher)));
  c = ok(accept(c, ctx(actors.lisi)));
  c = ok(accept(c, ctx(actors.chengguan)));
  c = ok(feedback(c, { text: '已清理' }, ctx(actors.chengguan)));
  c = ok(feedback(c, { text: '已修复' }, ctx(actors.zhangsan)));
  return c;
}

describe('街道评价部门 (the street rates the departments of a closed case)', () => {
  test('street staff rate each department that did the work once; the rating is on the assignment, the timeline and its figures', () => {
    let c = ok(verify(closedCase(), { outcome: 'solved' }, ctx(actors.reporter)));
    c = ok(rateDepartment(c, { deptCode: 'zhujian', value: 'satisfied', comment: ' 及时 ' }, ctx(actors.dispatcher)));
    c = ok(rateDepartment(c, { deptCode: 'chengguan', value: 'dissatisfied', comment: '协办拖延' }, ctx(leader)));
    const zhujian = c.assignments.find((a) => a.deptCode === 'zhujian');
    const chengguan = c.assignments.find((a) => a.deptCode === 'chengguan');
    expect(zhujian?.streetRating).toMatchObject({ value: 'satisfied', by: 'disp-zhao', comment: '及时' });
    expect(chengguan?.streetRating).toMatchObject({ value: 'dissatisfied', by: 'street-boss', comment: '协办拖延' });
    expect(c.timeline.at(-1)).toMatchObject({ type: 'department_rated', deptCode: 'chengguan', details: { value: 'dissatisfied', comment: '协办拖延' } });
    expect(zhujian && assignmentFigures(c, zhujian)).toMatchObject({ streetRated: 1, streetSatisfied: 1 });
    expect(chengguan && assignmentFigures(c, chengguan)).toMatchObject({ streetRated: 1, streetSatisfied: 0 });
    expect(checkInvariants(c)).toEqual([]);
  });

  test('基本满意 counts as satisfied, as the reporter\'s 满意率 does', () => {
    let c = ok(verify(closedCase(), { outcome: 'unsolvable', note: '历史遗留' }, ctx(actors.dispatcher)));
    c = ok(rateDepartment(c, { deptCode: 'zhujian', value: 'basically' }, ctx(actors.dispatcher)));
    const zhujian = c.assignments.find((a) => a.deptCode === 'zhujian');
    expect(zhujian && assignmentFigures(c, zhujian)).toMatchObject({ streetRated: 1, streetSatisfied: 1 });
  });

  test('refused, with nothing changed: not street staff, before closing, a department that did not do the work, twice, 不满意 without a reason', () => {
    const open = closedCase();
    expect(rateDepartment(open, { deptCode: 'zhujian', value: 'satisfied' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'illegal_state', reason: '案件核实结项后才能评价部门' });
    const c = ok(verify(open, { outcome: 'solved' }, ctx(actors.reporter)));
    for (const actor of [actors.reporter, actors.lisi, actors.zhangsan, actors.resident]) {
      expect(rateDepartment(c, { deptCode: 'zhujian', value: 'satisfied' }, ctx(actor))).toMatchObject({ ok: false, code: 'not_allowed', reason: '只有街道调度员或领导可以评价部门' });
    }
    expect(rateDepartment(c, { deptCode: 'shuiwu', value: 'dissatisfied', comment: '退回' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'not_yours', reason: '水务局没有办理该案件，不能评价' });
    expect(rateDepartment(c, { deptCode: 'nosuch', value: 'satisfied' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'not_yours' });
    expect(rateDepartment(c, { deptCode: 'zhujian', value: 'dissatisfied', comment: '  ' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'invalid_input', reason: '评为不满意时请填写原因' });
    const rated = ok(rateDepartment(c, { deptCode: 'zhujian', value: 'satisfied' }, ctx(actors.dispatcher)));
    expect(rateDepartment(rated, { deptCode: 'zhujian', value: 'dissatisfied', comment: '改主意' }, ctx(leader))).toMatchObject({ ok: false, code: 'already_rated', reason: '已经评价过住建局' });
    expect(rated.assignments.find((a) => a.deptCode === 'zhujian')?.streetRating?.value).toBe('satisfied');
  });

  test('a replayed command id is refused', () => {
    const c = ok(verify(closedCase(), { outcome: 'solved' }, ctx(actors.reporter)));
    const rated = ok(applyCommand(c, { type: 'rateDepartment', deptCode: 'zhujian', value: 'satisfied' }, ctx(actors.dispatcher, { commandId: 'rate-dept-1' })));
    expect(applyCommand(rated, { type: 'rateDepartment', deptCode: 'chengguan', value: 'satisfied' }, ctx(actors.dispatcher, { commandId: 'rate-dept-1' }))).toMatchObject({ ok: false, code: 'already_applied' });
  });
});
