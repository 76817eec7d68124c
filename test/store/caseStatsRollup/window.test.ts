import type { Connection } from 'mongoose';
import type { Actor, CommandContext } from '../../../src/cases';
import { assignmentFacts, statsByDepartment, type StatsPeriod } from '../../../src/stats';
import { CaseRepository } from '../../../store/caseRepository';
import { statsDayModel } from '../../../store/caseStatsRollup';
import { connectMongo } from '../../../store/connection';
import { caseModel } from '../../../store/models/case';
import { commandRunner } from '../../support/commandRunner';
import { testMongoUri } from '../../support/isolation';
import { actors, draft, ok, simplePlan } from '../../src/cases/fixtures';

const DISTRICT = 'd-window';
const NOW = new Date('2026-11-30T04:00:00Z');
const NOVEMBER: StatsPeriod = { from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z') };

let connection: Connection;
let repo: CaseRepository;
let run: ReturnType<typeof commandRunner>;

const at = (actor: Actor, minutes = 0): CommandContext => ({ actor, channel: 'sandbox', now: new Date(NOW.getTime() + minutes * 60_000), plan: simplePlan });

beforeAll(async () => {
  connection = await connectMongo(testMongoUri('stats_rollup_window'));
  // A window longer than the test: only reads and flushes send the figures.
  repo = new CaseRepository(connection, { figuresFlushMs: 600_000 });
  await repo.ensureIndexes();
  run = commandRunner(connection, { repository: repo });
});

afterAll(async () => {
  await repo.flushFigures();
  await connection.dropDatabase();
  await connection.close();
});

async function computed() {
  const all = await caseModel(connection).find({ districtId: DISTRICT }).lean().exec();
  const cases = await Promise.all(all.map((doc) => repo.get(String(doc._id))));
  return statsByDepartment(cases.flatMap((c) => (c ? assignmentFacts(c) : [])), NOVEMBER);
}

async function acceptedCase(): Promise<void> {
  const created = await repo.create({ ...draft, districtId: DISTRICT }, at(actors.reporter));
  ok(await run(created.id, { type: 'whistle', departments: ['zhujian', 'chengguan'] }, at(actors.dispatcher, 1)));
  ok(await run(created.id, { type: 'accept' }, at(actors.zhangsan, 2)));
}

test('with a window, changes do not wait for their figures; a read of the figures sends them first and is exact', async () => {
  expect(await repo.rollUpStatsOnce()).toBe(0);
  await Promise.all(Array.from({ length: 8 }, () => acceptedCase()));
  // Gathered, not yet sent: the changes above returned without a day document update.
  expect(await statsDayModel(connection).countDocuments()).toBe(0);

  const expected = await computed();
  expect(expected.find((s) => s.deptCode === 'zhujian')).toMatchObject({ whistlesReceived: 8 });
  expect(await repo.departmentStats({ ...NOVEMBER, districtId: DISTRICT })).toEqual(expected);
  expect(await statsDayModel(connection).countDocuments()).toBe(1);
});

test('a flush sends what is gathered (before shutdown), and the day document then equals the cases', async () => {
  await Promise.all(Array.from({ length: 4 }, () => acceptedCase()));
  await repo.flushFigures();
  // Another repository (another process) reads the store only.
  const reader = new CaseRepository(connection);
  const expected = await computed();
  expect(expected.find((s) => s.deptCode === 'zhujian')).toMatchObject({ whistlesReceived: 12 });
  expect(await reader.departmentStats({ ...NOVEMBER, districtId: DISTRICT })).toEqual(expected);
});
