import { accept, feedback, rate, rateDepartment, rateWhistle, returnCase, verify, whistle, type Actor, type Case } from '../../../src/cases';
import { assignmentFacts, statsByDepartment } from '../../../src/stats';
import { actors, ctx, newCase, ok } from '../cases/fixtures';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T = new Date('2026-11-02T00:00:00Z').getTime();
const at = (actor: Actor, ms: number) => ctx(actor, { now: new Date(T + ms) });
const period = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), streetId: 's1' };

// Deadlines from the fixtures' plan: accept within 1 h of the whistle, finish within 24 h of accepting.
function caseA(): Case {
  let c = ok(whistle(newCase({}, 'A'), { departments: ['zhujian', 'chengguan'] }, at(actors.dispatcher, 0)));
  c = ok(accept(c, at(actors.zhangsan, 30 * MIN)));
  c = ok(accept(c, at(actors.chengguan, 90 * MIN)));
  c = ok(feedback(c, { text: '清理' }, at(actors.chengguan, 90 * MIN + 2 * HOUR)));
  c = ok(feedback(c, { text: '修复' }, at(actors.zhangsan, 30 * MIN + 10 * HOUR)));
  c = ok(verify(c, { outcome: 'solved' }, at(actors.dispatcher, 11 * HOUR)));
  c = ok(rate(c, { value: 'basically' }, at(actors.dispatcher, 12 * HOUR)));
  c = ok(rateDepartment(c, { deptCode: 'chengguan', value: 'dissatisfied', comment: '清理不及时' }, at(actors.dispatcher, 12 * HOUR)));
  return ok(rateWhistle(c, { reasonable: false }, at(actors.chengguan, 12 * HOUR)));
}

function caseB(): Case {
  let c = ok(whistle(newCase({}, 'B'), { departments: ['zhujian'] }, at(actors.dispatcher, 0)));
  c = ok(returnCase(c, { reason: '不属于住建' }, at(actors.zhangsan, 20 * MIN)));
  c = ok(rateWhistle(c, { reasonable: true }, at(actors.zhangsan, 21 * MIN)));
  c = ok(whistle(c, { departments: ['chengguan'] }, at(actors.dispatcher, 30 * MIN)));
  c = ok(accept(c, at(actors.chengguan, 40 * MIN)));
  c = ok(feedback(c, { text: '处理' }, at(actors.chengguan, 40 * MIN + 30 * HOUR)));
  c = ok(verify(c, { outcome: 'solved' }, at(actors.dispatcher, 32 * HOUR)));
  c = ok(rateDepartment(c, { deptCode: 'chengguan', value: 'basically' }, at(actors.dispatcher, 33 * HOUR)));
  return ok(rate(c, { value: 'dissatisfied' }, at(actors.dispatcher, 33 * HOUR)));
}

function caseC(): Case {
  let c = ok(whistle(newCase({}, 'C'), { departments: ['zhujian'] }, at(actors.dispatcher, 0)));
  c = ok(accept(c, at(actors.zhangsan, 2 * HOUR)));
  c = ok(feedback(c, { text: '处理' }, at(actors.zhangsan, 7 * HOUR)));
  c = ok(verify(c, { outcome: 'unsolvable', note: '历史遗留' }, at(actors.dispatcher, 8 * HOUR)));
  return ok(rateDepartment(c, { deptCode: 'zhujian', value: 'satisfied' }, at(actors.dispatcher, 9 * HOUR)));
}

const caseD = (): Case => ok(whistle(newCase({}, 'D'), { departments: ['zhujian'] }, at(actors.dispatcher, 0)));
const otherStreet = (): Case => ok(whistle(newCase({ streetId: 's2' }, 'E'), { departments: ['zhujian'] }, at(actors.dispatcher, 0)));
const otherMonth = (): Case => ok(whistle(newCase({}, 'F'), { departments: ['zhujian'] }, at(actors.dispatcher, 40 * 24 * HOUR)));

describe('department statistics', () => {
  const facts = [caseA(), caseB(), caseC(), caseD(), otherStreet(), otherMonth()].flatMap((c) => assignmentFacts(c));
  const [chengguan, zhujian] = statsByDepartment(facts, period);

  test('lead department with a return, a late acceptance and an unsolvable closure', () => {
    expect(zhujian).toEqual({
      deptCode: 'zhujian',
      whistlesReceived: 4,
      accepted: 2,
      acceptedOnTime: 1,
      responseRate: 0.25,
      returns: 1,
      done: 2,
      doneOnTime: 2,
      onTimeCompletionRate: 1,
      closed: 2,
      solved: 1,
      resolutionRate: 0.5,
      rated: 1,
      satisfactionRate: 1,
      meanTimeToAcceptMs: 75 * MIN,
      meanTimeToFinishMs: 7.5 * HOUR,
      whistleRated: 1,
      whistleReasonableRate: 1,
      streetRated: 1,
      streetSatisfactionRate: 1,
    });
  });

  test('assisting in one case, leading another after a re-whistle', () => {
    expect(chengguan).toEqual({
      deptCode: 'chengguan',
      whistlesReceived: 2,
      accepted: 2,
      acceptedOnTime: 1,
      responseRate: 0.5,
      returns: 0,
      done: 2,
      doneOnTime: 1,
      onTimeCompletionRate: 0.5,
      closed: 2,
      solved: 2,
      resolutionRate: 1,
      rated: 2,
      satisfactionRate: 0.5,
      meanTimeToAcceptMs: 50 * MIN,
      meanTimeToFinishMs: 16 * HOUR,
      whistleRated: 1,
      whistleReasonableRate: 0,
      streetRated: 2,
      streetSatisfactionRate: 0.5,
    });
  });

  test('rates are null, not NaN, when nothing was counted', () => {
    const [onlyPending] = statsByDepartment(assignmentFacts(caseD()), { ...period, streetId: undefined });
    expect(onlyPending).toMatchObject({ whistlesReceived: 1, responseRate: 0, resolutionRate: null, meanTimeToAcceptMs: null, satisfactionRate: null });
  });

  test('all streets when no street is given', () => {
    const all = statsByDepartment(facts, { from: period.from, to: period.to });
    expect(all.find((s) => s.deptCode === 'zhujian')?.whistlesReceived).toBe(5);
  });
});
