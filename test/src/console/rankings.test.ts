import { accept, feedback, rate, verify, whistle } from '../../../src/cases';
import { assess, departmentFigures, weightedScore, DEFAULT_ASSESSMENT } from '../../../src/console/rankings';
import { summarise } from '../../../src/console/summary';
import { assignmentFacts, statsByDepartment } from '../../../src/stats';
import { actors, ctx, HOUR, newCase, ok, T0 } from '../cases/fixtures';

const whistledTo = (dept: string, id: string, overrides = {}) => ok(whistle(newCase(overrides, id), { departments: [dept] }, ctx(actors.dispatcher)));

describe('assessment', () => {
  test('the summaries give the same department figures as the facts the stats API sums', () => {
    let closed = whistledTo('zhujian', 'a');
    closed = ok(accept(closed, ctx(actors.lisi)));
    closed = ok(feedback(closed, { text: '已修复' }, ctx(actors.zhangsan)));
    closed = ok(verify(closed, { outcome: 'solved' }, ctx(actors.dispatcher)));
    closed = ok(rate(closed, { value: 'satisfied' }, ctx({ userId: 'grid-wang', role: 'reporter' })));
    const open = whistledTo('chengguan', 'b');
    const period = { from: new Date(T0.getTime() - HOUR), to: new Date(T0.getTime() + 1000 * HOUR) };
    const { stats } = departmentFigures([summarise(closed), summarise(open)], period);
    expect(stats).toEqual(statsByDepartment([...assignmentFacts(closed), ...assignmentFacts(open)], period));
    expect(stats.find((s) => s.deptCode === 'zhujian')).toMatchObject({ whistlesReceived: 1, solved: 1, satisfactionRate: 1 });
  });

  test('weights and the minimum case count decide score and rank', () => {
    const row = (deptCode: string, received: number, response: number | null, resolution: number | null, satisfaction: number | null) => ({
      deptCode, whistlesReceived: received, responseRate: response, resolutionRate: resolution, satisfactionRate: satisfaction,
      accepted: 0, acceptedOnTime: 0, returns: 0, done: 0, doneOnTime: 0, onTimeCompletionRate: null, closed: 0, solved: 0, rated: 0,
      meanTimeToAcceptMs: null, meanTimeToFinishMs: null, whistleRated: 0, whistleReasonableRate: null, streetRated: 0, streetSatisfactionRate: null,
    });
    expect(weightedScore(row('x', 9, 1, 0.5, 0.5), DEFAULT_ASSESSMENT)).toBe(65);
    expect(weightedScore(row('x', 9, 1, null, null), DEFAULT_ASSESSMENT)).toBe(100);
    const ranked = assess([row('a', 10, 1, 1, 1), row('b', 10, 0.5, 0.5, 0.5), row('c', 2, 1, 1, 1)], new Map([['b', 3]]), DEFAULT_ASSESSMENT);
    expect(ranked.map((r) => [r.deptCode, r.rank, r.score, r.reopens])).toEqual([['a', 1, 100, 0], ['b', 2, 50, 3], ['c', null, null, 0]]);
    expect(assess([row('c', 2, 1, 1, 1)], new Map(), { ...DEFAULT_ASSESSMENT, minCases: 0 })[0]?.rank).toBe(1);
  });

  test('the street\'s rating of departments counts only with a weight; by default the three rates alone', () => {
    const row = (streetRate: number | null) => ({
      deptCode: 'x', whistlesReceived: 9, responseRate: 1, resolutionRate: 0.5, satisfactionRate: 0.5,
      accepted: 0, acceptedOnTime: 0, returns: 0, done: 0, doneOnTime: 0, onTimeCompletionRate: null, closed: 0, solved: 0, rated: 0,
      meanTimeToAcceptMs: null, meanTimeToFinishMs: null, whistleRated: 0, whistleReasonableRate: null, streetRated: 4, streetSatisfactionRate: streetRate,
    });
    expect(DEFAULT_ASSESSMENT.weights.street).toBe(0);
    expect(weightedScore(row(0), DEFAULT_ASSESSMENT)).toBe(65);
    const withStreet = { ...DEFAULT_ASSESSMENT, weights: { response: 30, resolution: 30, satisfaction: 20, street: 20 } };
    // (1×30 + 0.5×30 + 0.5×20 + 0.25×20) / 100 = 0.6
    expect(weightedScore(row(0.25), withStreet)).toBe(60);
    // No street rating yet: the weight is left out, (30 + 15 + 10) / 80
    expect(weightedScore(row(null), withStreet)).toBe(68.8);
  });
});
