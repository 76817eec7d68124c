import { accept, checkInvariants, escalateToDistrict, markHardCase, reassign, releaseReporter, resolveHardCase, whistle, cancel } from '../../../src/cases';
import { actors, ctx, newCase, ok } from './fixtures';

const leader = { userId: 'street-boss', name: '街道主任', role: 'leader' } as const;
const whistled = () => ok(whistle(newCase(), { departments: ['zhujian'] }, ctx(actors.dispatcher)));

describe('street supervision from the command centre', () => {
  test('改派 withdraws the current departments and whistles the new ones afresh', () => {
    let c = ok(accept(whistled(), ctx(actors.lisi)));
    expect(c.state).toBe('in_progress');
    c = ok(reassign(c, { departments: ['chengguan', 'shuiwu'] }, ctx(actors.dispatcher)));
    expect(c.state).toBe('whistled');
    expect(c.assignments.map((a) => [a.deptCode, a.role, a.state])).toEqual([
      ['zhujian', 'lead', 'withdrawn'],
      ['chengguan', 'lead', 'pending'],
      ['shuiwu', 'assisting', 'pending'],
    ]);
    expect(c.assignments[1]?.acceptDueAt).toBeInstanceOf(Date);
    expect(c.timeline.at(-1)).toMatchObject({ type: 'reassigned', details: { from: 'zhujian', departments: 'chengguan,shuiwu', lead: 'chengguan' } });
    expect(checkInvariants(c)).toEqual([]);
  });

  test('改派 is refused to departments, before the first whistle, with no or unknown departments', () => {
    const c = whistled();
    expect(reassign(c, { departments: ['chengguan'] }, ctx(actors.lisi))).toMatchObject({ ok: false, code: 'not_allowed' });
    expect(reassign(newCase(), { departments: ['chengguan'] }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'illegal_state' });
    expect(reassign(c, { departments: [] }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(reassign(c, { departments: ['nosuch'] }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'invalid_input' });
  });

  test('疑难件 is marked once, with a reason, by street staff only, and can be resolved', () => {
    const c = whistled();
    expect(markHardCase(c, { reason: '多次反映' }, ctx(actors.lisi))).toMatchObject({ ok: false, code: 'not_allowed' });
    expect(markHardCase(c, { reason: ' ' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'invalid_input' });
    const marked = ok(markHardCase(c, { reason: '多次反映' }, ctx(leader)));
    expect(marked.hardCase).toMatchObject({ by: 'street-boss', reason: '多次反映' });
    expect(markHardCase(marked, { reason: '再标' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'already_applied' });
    const resolved = ok(resolveHardCase(marked, { reason: '已协调' }, ctx(actors.dispatcher)));
    expect(resolved.hardCase?.resolvedAt).toBeInstanceOf(Date);
    expect(resolveHardCase(resolved, { reason: 'x' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'illegal_state' });
    const closed = ok(cancel(c, { reason: '重复' }, ctx(actors.dispatcher)));
    expect(markHardCase(closed, { reason: 'x' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'illegal_state' });
  });

  test('releasing the reporter and 提级督办 happen once each, by street staff', () => {
    const c = whistled();
    expect(releaseReporter(c, { reason: '需要联系' }, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'not_allowed' });
    const released = ok(releaseReporter(c, { reason: '需要上门核实' }, ctx(actors.dispatcher)));
    expect(released.reporterRelease).toMatchObject({ by: 'disp-zhao', reason: '需要上门核实' });
    expect(releaseReporter(released, { reason: 'again' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'already_applied' });
    const escalated = ok(escalateToDistrict(c, { reason: '部门推诿' }, ctx(actors.dispatcher)));
    expect(escalated.timeline.at(-1)).toMatchObject({ type: 'escalated_to_district', details: { reason: '部门推诿' } });
    expect(escalateToDistrict(escalated, { reason: 'x' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'already_applied' });
    expect(escalateToDistrict(newCase({ level: 'community', source: 'resident', reporter: { openid: 'o1' } }), { reason: 'x' }, ctx(actors.dispatcher))).toMatchObject({ ok: false, code: 'illegal_state' });
  });
});
