import type { Connection } from 'mongoose';
import { caseStoreFrom } from '../../../commands/caseStore';
import type { CaseStore } from '../../../commands/deps';
import { applyCommand, DEFAULT_DUPLICATE_RULE, type Actor, type Case, type CaseCommand, type CaseDraft, type CommandContext } from '../../../src/cases';
import { connectMongo } from '../../../store/connection';
import { CaseRepository } from '../../../store/caseRepository';
import { testMongoUri } from '../../support/isolation';
import { actors, draft, simplePlan, T0 } from '../../src/cases/fixtures';

/**
 * The case store's contract, through the `CaseStore` port only: what the lifecycle relies on,
 * whichever MongoDB-protocol server holds the data. `npm test` runs it on FerretDB; point
 * MONGODB_URI at a MongoDB (`MONGODB_URI=mongodb://… npx jest test/store/caseStoreContract`) to
 * check a production server before moving a district to it.
 */
describe('the case store contract (CaseStore port)', () => {
  let connection: Connection;
  let store: CaseStore;
  let clock = T0.getTime();
  const ctx = (actor: Actor, extra: Partial<CommandContext> = {}): CommandContext => ({ actor, channel: 'sandbox', now: new Date((clock += 60_000)), plan: simplePlan, ...extra });

  beforeAll(async () => {
    connection = await connectMongo(testMongoUri('case_store_contract'));
    const repository = new CaseRepository(connection);
    await repository.ensureIndexes();
    store = caseStoreFrom(repository, draft.districtId);
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  async function transition(c: Case, command: CaseCommand, actor: Actor): Promise<{ saved: boolean; after: Case }> {
    const result = applyCommand(c, command, ctx(actor));
    if (!result.ok) throw new Error(`${command.type} refused: ${result.reason}`);
    return { saved: await store.saveTransition(c, result.case, result.events), after: result.case };
  }

  const created = (overrides: Partial<CaseDraft> = {}) => store.create({ ...draft, ...overrides }, ctx(actors.reporter));

  test('a created case reads back equal, by id and by its number', async () => {
    const c = await created({ text: '契约：读回' });
    expect(await store.findById(c.id)).toEqual(c);
    expect(await store.findByNumber(c.number)).toEqual(c);
    expect(await store.findByNumber(c.number, c.districtId)).toEqual(c);
    expect(await store.findByNumber(c.number, 'another-district')).toBeNull();
    expect(await store.findById('no-such-case')).toBeNull();
  });

  test('numbers are distinct and follow each other, even when created at once', async () => {
    const cases = await Promise.all(Array.from({ length: 12 }, (_, i) => created({ text: `契约：编号${i}` })));
    const sequences = cases.map((c) => Number(c.number.split('-')[1])).sort((a, b) => a - b);
    expect(new Set(sequences).size).toBe(12);
    expect(sequences.at(-1)! - sequences[0]!).toBe(11);
  });

  test('a transition saves once: the second writer from the same version is told no and writes nothing', async () => {
    const c = await created({ text: '契约：并发' });
    const first = await transition(c, { type: 'whistle', departments: ['zhujian'] }, actors.dispatcher);
    expect(first.saved).toBe(true);
    const second = await transition(c, { type: 'cancel', reason: '重复' }, actors.dispatcher);
    expect(second.saved).toBe(false);
    const stored = await store.findById(c.id);
    expect(stored).toEqual(first.after);
    expect(stored?.state).toBe('whistled');

    // From the stored version the next writer succeeds.
    const accepted = await transition(stored!, { type: 'accept' }, actors.zhangsan);
    expect(accepted.saved).toBe(true);
    expect((await store.findById(c.id))?.version).toBe(accepted.after.version);
  });

  test('open duplicates: same category and place within the window, oldest first, the case itself and closed ones left out', async () => {
    const parsed = (locationText: string) => ({ ...draft.parsed, category: 'road', locationText });
    const older = await created({ text: '契约：旧', parsed: parsed('契约路7号') });
    const newer = await created({ text: '契约：新', parsed: parsed('契约路7号') });
    const cancelled = await created({ text: '契约：撤销', parsed: parsed('契约路7号') });
    const cancelledAfter = await transition(cancelled, { type: 'cancel', reason: '误报' }, actors.dispatcher);
    expect(cancelledAfter).toMatchObject({ saved: true, after: { state: 'cancelled' } });
    const elsewhere = await created({ text: '契约：别处', parsed: parsed('别的路1号') });

    const found = await store.findOpenDuplicates(newer, DEFAULT_DUPLICATE_RULE);
    expect(found.map((c) => c.id)).toEqual([older.id]);
    expect((await store.findOpenDuplicates(older, DEFAULT_DUPLICATE_RULE)).map((c) => c.id)).toEqual([newer.id]);
    expect(await store.findOpenDuplicates(elsewhere, DEFAULT_DUPLICATE_RULE)).toEqual([]);
    // Outside the window nothing is a duplicate.
    expect(await store.findOpenDuplicates(newer, { ...DEFAULT_DUPLICATE_RULE, windowMs: 1 })).toEqual([]);
  });

  test("a reporter's latest cases, newest first, each once, and nobody else's", async () => {
    const reporter = { userId: 'contract-reporter', name: '契约网格' };
    const mine = [];
    for (let i = 0; i < 4; i++) mine.push(await created({ text: `契约：我的${i}`, reporter }));
    await created({ text: '契约：别人的', reporter: { userId: 'someone-else' } });
    const whistled = await transition(mine[1]!, { type: 'whistle', departments: ['zhujian'] }, actors.dispatcher);
    expect(whistled.saved).toBe(true);

    const latest = await store.reportedBy(reporter.userId, 3);
    expect(latest.map((c) => c.id)).toEqual([mine[3]!.id, mine[2]!.id, mine[1]!.id]);
    expect(latest[2]?.state).toBe('whistled');
    expect((await store.reportedBy(reporter.userId, 10)).map((c) => c.id)).toEqual([...mine].reverse().map((c) => c.id));
    expect(await store.reportedBy('nobody-at-all', 10)).toEqual([]);
  });

  test('a submission key tried again (twice at once) answers the case stored under it; another key makes another case', async () => {
    const key = `submission-${Date.now()}`;
    const first = await store.create(draft, ctx(actors.reporter), key);
    const again = await Promise.all([store.create(draft, ctx(actors.reporter), key), store.create(draft, ctx(actors.reporter), key)]);
    expect(again.map((c) => [c.id, c.number])).toEqual([[first.id, first.number], [first.id, first.number]]);
    expect((await store.findByNumber(first.number))?.id).toBe(first.id);
    const other = await store.create(draft, ctx(actors.reporter), `${key}-other`);
    expect(other.id).not.toBe(first.id);
  });
});
