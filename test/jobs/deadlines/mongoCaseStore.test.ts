import type { Connection } from 'mongoose';
import { MongoDeadlineCaseStore } from '../../../jobs/deadlines';
import type { DeadlineEvent } from '../../../jobs/deadlines/ports';
import type { Case, TimelineEvent } from '../../../src/cases';
import { CaseRepository } from '../../../store/caseRepository';
import { connectMongo } from '../../../store/connection';
import { commandRunner } from '../../support/commandRunner';
import { testMongoUri } from '../../support/isolation';
import { actors, draft, ok, simplePlan } from '../../src/cases/fixtures';

let connection: Connection;
let repo: CaseRepository;
let store: MongoDeadlineCaseStore;
let run: ReturnType<typeof commandRunner>;

beforeAll(async () => {
  connection = await connectMongo(testMongoUri('deadline-store'));
  repo = new CaseRepository(connection);
  await repo.ensureIndexes();
  store = new MongoDeadlineCaseStore(connection, repo);
  run = commandRunner(connection, { repository: repo });
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

async function whistledCase(): Promise<Case> {
  const ctx = { actor: actors.dispatcher, channel: 'sandbox' as const, now: new Date(), plan: simplePlan };
  const created = await repo.create(draft, { ...ctx, actor: actors.reporter });
  return ok(await run(created.id, { type: 'whistle', departments: ['zhujian', 'chengguan'] }, ctx));
}

function reminder(key: string): DeadlineEvent {
  return { type: 'deadline_reminder', at: new Date(), deptCode: 'zhujian', details: { deadlineKey: key, stage: 'accept' } };
}

function staffNote(n: number): TimelineEvent {
  return { type: 'extension_requested', at: new Date(), actorId: 'zj-zhang', actorRole: 'dept_member', channel: 'sandbox', deptCode: 'zhujian', details: { note: `n${n}` } };
}

describe('the deadline store appends under the same version guard as lifecycle commands', () => {
  test('an alert and a command racing from one read: exactly one lands each round, and nothing that reported success is lost', async () => {
    const start = await whistledCase();
    const landedKeys: string[] = [];
    const landedNotes: string[] = [];
    for (let round = 0; round < 25; round++) {
      const read = await store.load(start.id);
      if (!read) throw new Error('the case vanished');
      const [alerted, persisted] = await Promise.all([
        store.appendDeadlineEvent(read, reminder(`a0.accept@1#r${round}`)),
        repo.applyTransition(read.id, read.version, { ...read, updatedAt: new Date() }, [staffNote(round)]),
      ]);
      expect(Number(alerted) + Number(persisted.ok)).toBe(1);
      if (alerted) landedKeys.push(`a0.accept@1#r${round}`);
      if (persisted.ok) landedNotes.push(`n${round}`);
    }

    const end = await store.load(start.id);
    const added = end?.timeline.slice(start.timeline.length) ?? [];
    expect(end?.version).toBe(start.version + 25);
    expect(added.filter((e) => e.type === 'deadline_reminder').map((e) => e.details.deadlineKey)).toEqual(landedKeys);
    expect(added.filter((e) => e.type === 'extension_requested').map((e) => e.details.note)).toEqual(landedNotes);
  });

  test('a key already on the timeline is not appended again, even from an up-to-date read', async () => {
    const c = await whistledCase();
    expect(await store.appendDeadlineEvent(c, reminder('a0.accept@1#r50'))).toBe(true);
    const read = await store.load(c.id);
    if (!read) throw new Error('the case vanished');
    expect(await store.appendDeadlineEvent(read, reminder('a0.accept@1#r50'))).toBe(false);
    expect((await store.load(c.id))?.timeline.filter((e) => e.details.deadlineKey === 'a0.accept@1#r50')).toHaveLength(1);
  });

  test('an alert planned from a stale read is refused', async () => {
    const c = await whistledCase();
    ok(await run(c.id, { type: 'accept' }, { actor: actors.lisi, channel: 'sandbox', now: new Date(), plan: simplePlan }));
    expect(await store.appendDeadlineEvent(c, reminder('a0.accept@1#r80'))).toBe(false);
    expect((await store.load(c.id))?.timeline.some((e) => e.type === 'deadline_reminder')).toBe(false);
  });
});
