import { reporterActor } from '../../../commands/actors';
import { runCaseCommand } from '../../../commands/runCaseCommand';
import { submitReport } from '../../../commands/submitReport';
import type { Actor, CaseCommand } from '../../../src/cases';
import { DISTRICT_ID, testDistrictApp } from '../../bots/wecom/lifecycle/support/district';
import { gridReport } from '../../bots/wecom/lifecycle/support/reports';
import { calendarSla } from '../../support/calendarSla';
import { TestApp } from '../../support/testApp';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = new Date('2026-11-02T01:00:00Z'); // Monday 09:00 in China
const TOKEN = 'stats-secret-token';

const zj = (name = '住建甲'): Actor => ({ userId: 'zj-lead1', name, role: 'dept_lead', deptCode: 'zhujian' });
const sw: Actor = { userId: 'sw-lead', name: '水务甲', role: 'dept_lead', deptCode: 'shuiwu' };
const dispatcher: Actor = { userId: 'dispatcher1', name: '调度员', role: 'dispatcher' };
const grid: Actor = { userId: 'grid-zhang', name: '张网格', role: 'grid', communityId: 'comm1' };

/**
 * Statistics checked against figures worked out by hand. Deadlines: accept within 1 h of the
 * whistle, finish within 24 h of accepting.
 *
 *   A (street1, 住建 leads, 水务 assists) whistled T0: 住建 accepts +30m, 水务 +2h (late);
 *     水务 done +5h (3h after accepting), 住建 done +10h (570 min); verified solved; 满意;
 *     the street rates 住建 满意 and 水务 不满意.
 *   B (street1, 住建) whistled T0+1d: accepted +3h (late), done 30 h later (late); closed unsolvable; 不满意;
 *     the street rates 住建 基本满意.
 *   C (street1, 水务) whistled T0+2d: returned +1h; re-whistled to 住建 at +2h, accepted 10 min later.
 *   D (street2, 住建) whistled T0+3d: accepted +20m.
 *   E (street1, 住建) whistled T0−10d: outside the period.
 */
describe('department statistics', () => {
  let now = T0;
  // The web role: the worker's deadline timers would fire at once on these past dates and add reminders to the cases.
  const h = new TestApp('stats_departments', {
    ...testDistrictApp,
    role: 'web',
    clock: () => now,
    sla: calendarSla({ accept: '1h', finish: '1d', verify: '2d' }),
    env: { STATS_API_TOKEN: TOKEN },
  });

  async function run(id: string, at: Date, actor: Actor, command: CaseCommand): Promise<void> {
    now = at;
    const result = await runCaseCommand(h.lifecycle.deps, { id }, command, { actor, channel: 'wecom', now: at });
    if (!result.ok) throw new Error(`${command.type} refused: ${result.reason}`);
  }

  async function report(at: Date, overrides: Parameters<typeof gridReport>[0] = {}): Promise<string> {
    now = at;
    const submitted = await submitReport(h.lifecycle.deps, gridReport(overrides));
    expect(submitted.outcome).toBe('whistled');
    return submitted.case.id;
  }

  beforeAll(async () => {
    await h.start();
    const a = await report(T0, { parsed: { departments: ['shuiwu'] } });
    await run(a, new Date(T0.getTime() + 30 * MIN), zj(), { type: 'accept' });
    await run(a, new Date(T0.getTime() + 2 * HOUR), sw, { type: 'accept' });
    await run(a, new Date(T0.getTime() + 5 * HOUR), sw, { type: 'feedback', text: '协办完成' });
    await run(a, new Date(T0.getTime() + 10 * HOUR), zj(), { type: 'feedback', text: '已修复' });
    await run(a, new Date(T0.getTime() + 11 * HOUR), grid, { type: 'verify', outcome: 'solved' });
    await run(a, new Date(T0.getTime() + 12 * HOUR), reporterActor('grid-zhang'), { type: 'rate', value: 'satisfied' });
    await run(a, new Date(T0.getTime() + 13 * HOUR), dispatcher, { type: 'rateDepartment', deptCode: 'zhujian', value: 'satisfied' });
    await run(a, new Date(T0.getTime() + 13 * HOUR), dispatcher, { type: 'rateDepartment', deptCode: 'shuiwu', value: 'dissatisfied', comment: '协办拖延' });

    const b0 = new Date(T0.getTime() + DAY);
    const b = await report(b0);
    await run(b, new Date(b0.getTime() + 3 * HOUR), zj(), { type: 'accept' });
    await run(b, new Date(b0.getTime() + 33 * HOUR), zj(), { type: 'feedback', text: '已处理' });
    await run(b, new Date(b0.getTime() + 34 * HOUR), dispatcher, { type: 'verify', outcome: 'unsolvable', note: '需整体改造' });
    await run(b, new Date(b0.getTime() + 35 * HOUR), dispatcher, { type: 'rate', value: 'dissatisfied' });
    await run(b, new Date(b0.getTime() + 36 * HOUR), dispatcher, { type: 'rateDepartment', deptCode: 'zhujian', value: 'basically' });

    const c0 = new Date(T0.getTime() + 2 * DAY);
    const c = await report(c0, { parsed: { category: 'drainage' } });
    await run(c, new Date(c0.getTime() + HOUR), sw, { type: 'return', reason: '不属于本部门职责' });
    await run(c, new Date(c0.getTime() + 2 * HOUR), dispatcher, { type: 'whistle', departments: ['zhujian'] });
    await run(c, new Date(c0.getTime() + 2 * HOUR + 10 * MIN), zj(), { type: 'accept' });

    const d0 = new Date(T0.getTime() + 3 * DAY);
    const d = await report(d0, { streetId: 'street2', communityId: 'comm2', gridId: 'grid2', reporter: { userId: 'grid-li' } });
    await run(d, new Date(d0.getTime() + 20 * MIN), zj(), { type: 'accept' });

    await report(new Date(T0.getTime() - 10 * DAY));
  });

  afterAll(() => h.stop());

  function get(query: string, token: string | null = TOKEN): Promise<Response> {
    return fetch(`${h.url}/api/stats/departments?${query}`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
  }

  it('gives the hand-computed figures for one street', async () => {
    const response = await get('from=2026-11-01&to=2026-11-30&street=street1');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { period: unknown; departments: Record<string, unknown>[] };
    expect(body.period).toEqual({ from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z', street: 'street1' });
    expect(body.departments).toEqual([
      {
        deptCode: 'shuiwu', deptName: '水务局',
        whistlesReceived: 2, accepted: 1, acceptedOnTime: 0, responseRate: 0, returns: 1,
        done: 1, doneOnTime: 1, onTimeCompletionRate: 1, closed: 1, solved: 1, resolutionRate: 1,
        rated: 1, satisfactionRate: 1, meanMinutesToAccept: 120, meanMinutesToFinish: 180,
        whistleRated: 0, whistleReasonableRate: null, streetRated: 1, streetSatisfactionRate: 0,
      },
      {
        deptCode: 'zhujian', deptName: '住建局',
        whistlesReceived: 3, accepted: 3, acceptedOnTime: 2, responseRate: 0.6667, returns: 0,
        done: 2, doneOnTime: 1, onTimeCompletionRate: 0.5, closed: 2, solved: 1, resolutionRate: 0.5,
        rated: 2, satisfactionRate: 0.5, meanMinutesToAccept: 73.3, meanMinutesToFinish: 1185,
        whistleRated: 0, whistleReasonableRate: null, streetRated: 2, streetSatisfactionRate: 1,
      },
    ]);
  });

  it('covers every street when none is given', async () => {
    const body = (await (await get('from=2026-11-01&to=2026-11-30')).json()) as { departments: { deptCode: string; whistlesReceived: number; acceptedOnTime: number; meanMinutesToAccept: number }[] };
    expect(body.departments.find((d) => d.deptCode === 'zhujian')).toMatchObject({ whistlesReceived: 4, acceptedOnTime: 3, meanMinutesToAccept: 60 });
  });

  it('matches the repository query and leaves out what was whistled outside the period', async () => {
    const rows = await h.repo.departmentStats({ from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z'), districtId: DISTRICT_ID });
    expect(rows.map((r) => [r.deptCode, r.whistlesReceived])).toEqual([['zhujian', 1]]);
  });

  it('refuses requests without the bearer token with a 401 JSON error', async () => {
    for (const token of [null, 'wrong-token']) {
      const response = await get('from=2026-11-01&to=2026-11-30', token);
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toMatch(/missing_token|invalid_token/);
    }
  });

  it('explains a bad period', async () => {
    const response = await get('from=2026-13-01&to=2026-11-30');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('from');
    expect((await get('from=2026-11-30&to=2026-11-01')).status).toBe(400);
  });
});
