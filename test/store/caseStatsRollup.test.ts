import type { Connection } from 'mongoose';
import type { Actor, CaseCommand, CommandContext } from '../../src/cases';
import { assignmentFacts, statsByDepartment, type StatsPeriod } from '../../src/stats';
import { CaseRepository } from '../../store/caseRepository';
import { statsDayModel } from '../../store/caseStatsRollup';
import { caseModel } from '../../store/models/case';
import { counterModel } from '../../store/models/counter';
import { repositoryUnderTest, type RepositoryUnderTest } from '../support/commandRunner';
import { actors, draft, simplePlan } from '../src/cases/fixtures';

const HOUR = 3_600_000;
const DISTRICT = 'd-rollup';
// Beijing time: the last evening of November and the first hours of December.
const NOV_30_EVENING = new Date('2026-11-30T12:00:00Z');
const DEC_1_NIGHT = new Date('2026-11-30T16:30:00Z');
const NOVEMBER: StatsPeriod = { from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z') };
const DECEMBER_1: StatsPeriod = { from: new Date('2026-11-30T16:00:00Z'), to: new Date('2026-12-01T16:00:00Z') };
const BOTH_MONTHS: StatsPeriod = { from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-12-31T16:00:00Z') };

let connection: Connection;
let repo: CaseRepository;
let run: RepositoryUnderTest['run'];

const at = (actor: Actor, now: Date, hours = 0): CommandContext => ({ actor, channel: 'sandbox', now: new Date(now.getTime() + hours * HOUR), plan: simplePlan });

async function must(caseId: string, command: CaseCommand, ctx: CommandContext): Promise<void> {
  const result = await run(caseId, command, ctx);
  if (!result.ok) throw new Error(`${command.type}: ${result.reason}`);
}

/** Case `i` through a path picked by `i`: left whistled, accepted, returned and whistled again, done, closed and rated. */
async function caseThrough(i: number): Promise<void> {
  const now = i % 2 === 0 ? NOV_30_EVENING : DEC_1_NIGHT;
  const streetId = i % 3 === 0 ? 's-north' : 's-south';
  const created = await repo.create({ ...draft, districtId: DISTRICT, streetId }, at(actors.reporter, now));
  await must(created.id, { type: 'whistle', departments: ['zhujian', 'chengguan'] }, at(actors.dispatcher, now, 0.1));
  if (i % 5 === 0) return;
  if (i % 5 === 1) {
    await must(created.id, { type: 'return', reason: '非本部门' }, at(actors.zhangsan, now, 0.2));
    await must(created.id, { type: 'whistle', departments: ['chengguan'] }, at(actors.dispatcher, now, 30));
    await must(created.id, { type: 'accept' }, at(actors.chengguan, now, 31));
    return;
  }
  await must(created.id, { type: 'accept' }, at(actors.zhangsan, now, i % 5 === 2 ? 0.5 : 20));
  if (i % 5 === 2) return;
  await must(created.id, { type: 'feedback', text: '已修复' }, at(actors.zhangsan, now, 5));
  if (i % 5 === 3) return;
  await must(created.id, { type: 'verify', outcome: 'solved' }, at(actors.dispatcher, now, 6));
  await must(created.id, { type: 'rate', value: i % 3 === 0 ? 'dissatisfied' : 'satisfied' }, at(actors.dispatcher, now, 7));
}

/** The figures computed from every stored case of the district: the pure maths the roll-up must equal. */
async function computed(period: StatsPeriod) {
  const all = await caseModel(connection).find({ districtId: DISTRICT }).lean().exec();
  const cases = await Promise.all(all.map((doc) => repo.get(String(doc._id))));
  return statsByDepartment(cases.flatMap((c) => (c ? assignmentFacts(c) : [])), period);
}

const MARKER = 'migration:stats-rollup-v1';

const under = repositoryUnderTest('stats_rollup');
beforeAll(() => {
  ({ connection, repo, run } = under);
});

test('the figures rolled up as cases change equal the ones computed from the cases, per period and street', async () => {
  expect(await repo.rollUpStatsOnce()).toBe(0); // an empty store: rolled up from the start
  // Twenty cases at once, all changing the same two day documents concurrently.
  await Promise.all(Array.from({ length: 20 }, (_, i) => caseThrough(i)));

  for (const period of [NOVEMBER, DECEMBER_1, BOTH_MONTHS, { ...NOVEMBER, streetId: 's-north' }, { ...BOTH_MONTHS, streetId: 's-south' }]) {
    const expected = await computed(period);
    expect(expected.length).toBeGreaterThan(0);
    expect(await repo.departmentStats({ ...period, districtId: DISTRICT })).toEqual(expected);
    expect(await repo.aggregatedDepartmentStats({ ...period, districtId: DISTRICT })).toEqual(expected);
  }
  // Read from the day documents: one per Beijing day with whistles (30 November, 1 and 2 December).
  const days = await statsDayModel(connection).find({}).lean().exec();
  expect(days.map((d) => d._id).sort()).toEqual([`${DISTRICT}|2026-11-30`, `${DISTRICT}|2026-12-01`, `${DISTRICT}|2026-12-02`]);
  const zhujianNovember = (await repo.departmentStats({ ...NOVEMBER, districtId: DISTRICT })).find((s) => s.deptCode === 'zhujian');
  expect(zhujianNovember).toMatchObject({ whistlesReceived: 10, returns: 2, closed: 2, rated: 2 });

  // The answer is the day documents' (the store's $group would not see this).
  const day = statsDayModel(connection);
  await day.updateOne({ _id: `${DISTRICT}|2026-11-30` }, { $inc: { 'figures.s-north.zhujian.received': 100 } }).exec();
  expect((await repo.departmentStats({ ...NOVEMBER, districtId: DISTRICT })).find((s) => s.deptCode === 'zhujian')?.whistlesReceived).toBe(110);
  await day.updateOne({ _id: `${DISTRICT}|2026-11-30` }, { $inc: { 'figures.s-north.zhujian.received': -100 } }).exec();
});

test('a period that does not start and end at a day\'s start is asked of the store, with the same answer', async () => {
  const period = { from: new Date(NOVEMBER.from.getTime() + HOUR), to: new Date(DEC_1_NIGHT.getTime() + 2 * HOUR) };
  expect(await repo.departmentStats({ ...period, districtId: DISTRICT })).toEqual(await computed(period));
});

test('cases stored before the roll-up are rolled up once; until then the store answers', async () => {
  // As a store of older cases: no day documents, no marker.
  await statsDayModel(connection).deleteMany({});
  await counterModel(connection).deleteOne({ _id: MARKER });
  const expected = await computed(BOTH_MONTHS);
  expect(await repo.departmentStats({ ...BOTH_MONTHS, districtId: DISTRICT })).toEqual(expected);

  expect(await repo.rollUpStatsOnce()).toBe(20);
  expect(await repo.rollUpStatsOnce()).toBe(0);
  expect(await statsDayModel(connection).countDocuments()).toBe(3);
  expect(await repo.departmentStats({ ...BOTH_MONTHS, districtId: DISTRICT })).toEqual(expected);

  // Changes after it keep the day documents right.
  await Promise.all([20, 21, 22, 23].map((i) => caseThrough(i)));
  expect(await repo.departmentStats({ ...BOTH_MONTHS, districtId: DISTRICT })).toEqual(await computed(BOTH_MONTHS));
});
