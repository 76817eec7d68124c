import { MongoDeadlineCaseStore } from '../../jobs/deadlines';
import type { Actor, Case } from '../../src/cases';
import { caseModel } from '../../store/models/case';
import { caseOpenKeyModel } from '../../store/models/caseKeys';
import { counterModel } from '../../store/models/counter';
import { repositoryUnderTest } from '../support/commandRunner';
import { actors, draft, ok, simplePlan } from '../src/cases/fixtures';

const under = repositoryUnderTest('case-open-keys');
const at = (actor: Actor = actors.dispatcher) => ({ actor, channel: 'sandbox' as const, now: new Date(), plan: simplePlan });

async function walk(): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of under.repo.openCases(2)) ids.push(...page.map((c: Case) => c.id));
  return ids.sort();
}

async function keyIds(): Promise<string[]> {
  return (await caseOpenKeyModel(under.connection).find({}).lean().exec()).map((k) => k._id).sort();
}

test('the open cases come from keys kept with every change: filed on creation, dropped once the case is finished', async () => {
  expect(await under.repo.fileOpenKeysOnce()).toBe(0); // an empty store: nothing to file, from now on every case files itself
  const triage = await under.repo.create(draft, at(actors.reporter));
  const whistled = ok(await under.run((await under.repo.create(draft, at(actors.reporter))).id, { type: 'whistle', departments: ['zhujian'] }, at()));
  const cancelled = ok(await under.run((await under.repo.create(draft, at(actors.reporter))).id, { type: 'cancel', reason: '误报' }, at()));
  expect(cancelled.state).toBe('cancelled');
  expect(await keyIds()).toEqual([triage.id, whistled.id].sort());
  expect(await walk()).toEqual([triage.id, whistled.id].sort());

  // The sweeper walks them too, keeping the states that carry deadlines.
  const swept: string[] = [];
  for await (const page of new MongoDeadlineCaseStore(under.connection, under.repo).casesWithDeadlines(10)) swept.push(...page.map((c) => c.id));
  expect(swept).toEqual([whistled.id]);

  // Once the keys are filed no query answers: an open case without its key is not walked.
  await caseModel(under.connection).collection.insertOne({ ...(await caseModel(under.connection).findById(triage.id).lean().exec()), _id: 'unfiled' as never, number: '2026-999999' });
  expect(await walk()).toEqual([triage.id, whistled.id].sort());
  await caseModel(under.connection).deleteOne({ _id: 'unfiled' });
});

test('keys left by a crash (a case never stored, a case finished before its key went) are dropped by the walk', async () => {
  const open = (await walk()).length;
  const finished = ok(await under.run((await under.repo.create(draft, at(actors.reporter))).id, { type: 'cancel', reason: '重复' }, at()));
  await caseOpenKeyModel(under.connection).create([{ _id: 'never-stored', caseId: 'never-stored', filedAt: new Date() }, { _id: finished.id, caseId: finished.id, filedAt: new Date() }]);
  expect(await walk()).toHaveLength(open);
  expect(await keyIds()).not.toContain('never-stored');
  expect(await keyIds()).not.toContain(finished.id);
});

test('open cases stored before the keys existed are walked by a query until they are filed once', async () => {
  const all = await walk();
  await caseOpenKeyModel(under.connection).deleteMany({});
  await counterModel(under.connection).deleteOne({ _id: 'migration:open-keys-v1' });
  expect(await walk()).toEqual(all); // by the query on state
  expect(await under.repo.fileOpenKeysOnce()).toBe(all.length);
  expect(await under.repo.fileOpenKeysOnce()).toBe(0);
  expect(await keyIds()).toEqual(all);
  expect(await walk()).toEqual(all);
});
