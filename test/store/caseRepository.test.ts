import type { Connection } from 'mongoose';
import { checkInvariants, type Actor, type CaseCommand, type CaseDraft, type CommandContext } from '../../src/cases';
import { assignmentFacts, statsByDepartment } from '../../src/stats';
import { connectMongo } from '../../store/connection';
import { CaseRepository } from '../../store/caseRepository';
import { CaseVersionClaims } from '../../store/caseVersionClaims';
import { caseModel, caseTransitionModel } from '../../store/models/case';
import { caseNumberKeyModel, casePlaceKeyModel, caseReporterKeyModel } from '../../store/models/caseKeys';
import { counterModel } from '../../store/models/counter';
import { commandRunner, repositoryUnderTest } from '../support/commandRunner';
import { testMongoUri } from '../support/isolation';
import { actors, draft, simplePlan } from '../src/cases/fixtures';

let connection: Connection;
let repo: CaseRepository;
let run: ReturnType<typeof commandRunner>;
const NOW = new Date('2026-11-23T02:00:00Z');
const HOUR = 3_600_000;

function ctx(actor: Actor, extra: Partial<CommandContext> = {}): CommandContext {
  return { actor, channel: 'sandbox', now: NOW, plan: simplePlan, ...extra };
}

async function whistledCase(departments = ['zhujian', 'chengguan'], overrides: Partial<CaseDraft> = {}) {
  const created = await repo.create({ ...draft, ...overrides }, ctx(actors.reporter));
  const result = await run(created.id, { type: 'whistle', departments }, ctx(actors.dispatcher));
  if (!result.ok) throw new Error(result.reason);
  return result.case;
}

const under = repositoryUnderTest('cases');
beforeAll(() => {
  ({ connection, repo, run } = under);
});

describe('case numbers', () => {
  test('50 parallel creates get 50 distinct, sequential numbers', async () => {
    const district = { ...draft, districtId: 'd-parallel' };
    const created = await Promise.all(Array.from({ length: 50 }, () => repo.create(district, ctx(actors.reporter))));
    const numbers = created.map((c) => c.number).sort();
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => `2026-${String(i + 1).padStart(6, '0')}`));
    expect(new Set(created.map((c) => c.id)).size).toBe(50);
  });

  test('each district and each (Beijing) year has its own sequence', async () => {
    const a = await repo.create({ ...draft, districtId: 'd-year' }, ctx(actors.reporter, { now: new Date('2026-12-31T15:59:00Z') }));
    const b = await repo.create({ ...draft, districtId: 'd-year' }, ctx(actors.reporter, { now: new Date('2026-12-31T16:00:00Z') }));
    const c = await repo.create({ ...draft, districtId: 'd-other' }, ctx(actors.reporter, { now: new Date('2026-12-31T16:00:00Z') }));
    expect([a.number, b.number, c.number]).toEqual(['2026-000001', '2027-000001', '2027-000001']);
    expect((await repo.getByNumber('d-year', '2027-000001'))?.id).toBe(b.id);
    expect(await repo.getByNumber('d-year', '2027-000002')).toBeUndefined();
  });
});

describe('persistence', () => {
  test('a created case reads back exactly', async () => {
    const created = await repo.create({ ...draft, media: [{ kind: 'image', ref: 'media-1' }] }, ctx(actors.reporter));
    expect(await repo.get(created.id)).toEqual(created);
    const { category: _none, ...uncategorised } = draft.parsed;
    const withNullDetail = await repo.create({ ...draft, parsed: uncategorised }, ctx(actors.reporter));
    expect(withNullDetail.timeline[0]?.details.category).toBeNull();
    expect(await repo.get(withNullDetail.id)).toEqual(withNullDetail);
    expect(await repo.get('nope')).toBeUndefined();
  });

  test('a whole lifecycle through runCommand reads back exactly after every step', async () => {
    const c = await whistledCase();
    const steps: Array<[Actor, CaseCommand]> = [
      [actors.zhangsan, { type: 'accept' }],
      [actors.chengguan, { type: 'accept' }],
      [actors.zhangsan, { type: 'requestExtension', reason: '需要采购', requestedDueAt: new Date(NOW.getTime() + 72 * HOUR) }],
      [actors.dispatcher, { type: 'decideExtension', deptCode: 'zhujian', approve: true }],
      [actors.zhangsan, { type: 'feedback', text: '已修复', media: [{ kind: 'image', ref: 'after-1' }] }],
      [actors.dispatcher, { type: 'verify', outcome: 'reopen', note: '仍有积水' }],
      [actors.lisi, { type: 'feedback', text: '再次修复' }],
      [actors.reporter, { type: 'verify', outcome: 'solved' }],
      [actors.dispatcher, { type: 'rate', value: 'satisfied', comment: '回访满意' }],
      [actors.chengguan, { type: 'rateWhistle', reasonable: true }],
    ];
    let version = c.version;
    for (const [actor, command] of steps) {
      const result = await run(c.id, command, ctx(actor));
      if (!result.ok) throw new Error(`${command.type}: ${result.reason}`);
      expect(result.case.version).toBe(++version);
      expect(await repo.get(c.id)).toEqual(result.case);
    }
    const stored = await repo.get(c.id);
    expect(stored?.state).toBe('closed');
    expect(stored?.timeline.map((e) => e.type)).toEqual([
      'created', 'whistled', 'accepted', 'accepted', 'extension_requested', 'extension_decided', 'feedback', 'reopened', 'feedback', 'verified', 'rated', 'whistle_rated',
    ]);
    expect(stored && checkInvariants(stored)).toEqual([]);
  });
});

describe('concurrency', () => {
  test('two leads tapping 接哨 at once: exactly one wins, the other is told who has it', async () => {
    const c = await whistledCase(['zhujian']);
    const results = await Promise.all([run(c.id, { type: 'accept' }, ctx(actors.zhangsan)), run(c.id, { type: 'accept' }, ctx(actors.lisi))]);
    const winners = results.filter((r) => r.ok);
    const losers = results.filter((r) => !r.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const winner = winners[0]?.ok ? winners[0].case.assignments[0]?.acceptedByName : undefined;
    expect(losers[0]).toEqual({ ok: false, code: 'already_accepted', reason: `该案件已由${winner}接哨` });
    const stored = await repo.get(c.id);
    expect(stored?.timeline.filter((e) => e.type === 'accepted')).toHaveLength(1);
    expect(stored?.version).toBe(c.version + 1);
  });

  test('different departments acting at once all land, via retries', async () => {
    const c = await whistledCase(['zhujian', 'chengguan', 'shuiwu']);
    const results = await Promise.all([actors.zhangsan, actors.chengguan, actors.shuiwu].map((a) => run(c.id, { type: 'accept' }, ctx(a))));
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    const stored = await repo.get(c.id);
    expect(stored?.assignments.map((a) => a.state)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(stored?.version).toBe(c.version + 3);
    expect(stored && checkInvariants(stored)).toEqual([]);
  });

  test('a replayed command is refused and changes nothing', async () => {
    const c = await whistledCase(['zhujian']);
    const first = await run(c.id, { type: 'accept' }, ctx(actors.zhangsan, { commandId: 'evt-42' }));
    expect(first.ok).toBe(true);
    const again = await run(c.id, { type: 'accept' }, ctx(actors.zhangsan, { commandId: 'evt-42' }));
    expect(again).toMatchObject({ ok: false, code: 'already_applied' });
    const stored = await repo.get(c.id);
    expect(stored?.version).toBe(c.version + 1);
    expect(stored?.timeline).toHaveLength(c.timeline.length + 1);
  });

  test('a stale version is a conflict and writes nothing', async () => {
    const c = await whistledCase(['zhujian']);
    const accepted = await run(c.id, { type: 'accept' }, ctx(actors.zhangsan));
    if (!accepted.ok) throw new Error(accepted.reason);
    const stale = { ...c, state: 'cancelled' as const, cancelReason: 'x' };
    expect(await repo.applyTransition(c.id, c.version, stale, [])).toEqual({ ok: false, reason: 'conflict' });
    expect(await repo.applyTransition('missing', 0, stale, [])).toEqual({ ok: false, reason: 'not_found' });
    expect(await repo.get(c.id)).toEqual(accepted.case);
  });

  test('a claim left by a crashed writer is cleared once stale, and the case moves on', async () => {
    const patient = commandRunner(connection, { staleClaimMs: 50 });
    const c = await whistledCase(['zhujian']);
    await caseTransitionModel(connection).create({ _id: `${c.id}:${c.version + 1}`, caseId: c.id, version: c.version + 1, claimedAt: new Date(Date.now() - 1000), eventTypes: ['accepted'] });
    const result = await patient(c.id, { type: 'accept' }, ctx(actors.zhangsan));
    expect(result.ok).toBe(true);
    expect((await repo.get(c.id))?.version).toBe(c.version + 1);
  });

  test('a fresh claim by another writer is respected (conflict, not overwritten)', async () => {
    const c = await whistledCase(['zhujian']);
    await caseTransitionModel(connection).create({ _id: `${c.id}:${c.version + 1}`, caseId: c.id, version: c.version + 1, claimedAt: new Date(), eventTypes: ['accepted'] });
    const impatient = commandRunner(connection, { maxConflictRetries: 1 });
    expect(await impatient(c.id, { type: 'accept' }, ctx(actors.zhangsan))).toMatchObject({ ok: false, code: 'conflict' });
    expect((await repo.get(c.id))?.version).toBe(c.version);
  });

  test('random concurrent commands on many cases leave only consistent cases', async () => {
    const cases = await Promise.all(Array.from({ length: 12 }, () => whistledCase(['zhujian', 'chengguan'], { districtId: 'd-load' })));
    const cast = [actors.zhangsan, actors.lisi, actors.chengguan, actors.dispatcher, actors.reporter];
    const commands: Array<CaseCommand> = [
      { type: 'accept' },
      { type: 'feedback', text: '已处理' },
      { type: 'return', reason: '不属于本部门' },
      { type: 'verify', outcome: 'solved' },
      { type: 'verify', outcome: 'reopen', note: '未解决' },
      { type: 'whistle', departments: ['chengguan'] },
    ];
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 8; round++) {
      await Promise.all(
        cases.flatMap((c) =>
          Array.from({ length: 4 }, () => run(c.id, commands[next(commands.length)] ?? { type: 'accept' }, ctx(cast[next(cast.length)] ?? actors.zhangsan))),
        ),
      );
    }
    for (const c of cases) {
      const stored = await repo.get(c.id);
      expect(stored && checkInvariants(stored)).toEqual([]);
      expect(stored && stored.timeline.length).toBeGreaterThanOrEqual((stored?.version ?? 0) + 1);
    }
  });
});

describe('queries', () => {
  test('finds open duplicates of a report', async () => {
    const base = { ...draft, districtId: 'd-dup', parsed: { ...draft.parsed, locationText: '和平街3号' } };
    const open = await repo.create(base, ctx(actors.reporter));
    const cancelled = await repo.create(base, ctx(actors.reporter));
    await run(cancelled.id, { type: 'cancel', reason: '误报' }, ctx(actors.dispatcher));
    await repo.create({ ...base, parsed: { ...base.parsed, category: 'manhole' } }, ctx(actors.reporter));
    await repo.create({ ...base, parsed: { ...base.parsed, locationText: '和平街5号' } }, ctx(actors.reporter));
    const report = { districtId: 'd-dup', category: 'road', locationKey: '和平街3号', createdAt: new Date(NOW.getTime() + HOUR) };
    expect((await repo.findOpenDuplicates(report)).map((c) => c.id)).toEqual([open.id]);
    expect(await repo.findOpenDuplicates({ ...report, excludeId: open.id })).toEqual([]);
    expect(await repo.findOpenDuplicates({ ...report, createdAt: new Date(NOW.getTime() + 100 * HOUR) })).toEqual([]);
  });

  test('finds a duplicate by coordinates when the wording differs, not one 110 m away', async () => {
    const at = (lat: number, lng: number, locationText: string) => ({ ...draft, districtId: 'd-geo', parsed: { ...draft.parsed, locationText, lat, lng } });
    const open = await repo.create(at(39.9, 116.4, '文明大街路口'), ctx(actors.reporter));
    await repo.create(at(39.901, 116.4, '北边那个井'), ctx(actors.reporter)); // ~111 m north
    const report = { districtId: 'd-geo', category: 'road', locationKey: '农机路交叉口', lat: 39.9003, lng: 116.4001, createdAt: new Date(NOW.getTime() + HOUR) };
    expect((await repo.findOpenDuplicates(report)).map((c) => c.id)).toEqual([open.id]);
    expect(await repo.findOpenDuplicates({ ...report, districtId: 'd-elsewhere' })).toEqual([]);
  });

  test('several cases filed under one place key are all candidates', async () => {
    const base = { ...draft, districtId: 'd-chain', parsed: { ...draft.parsed, locationText: '建设路8号' } };
    const created = [];
    for (let i = 0; i < 3; i++) {
      const c = await repo.create(base, ctx(actors.reporter));
      created.push(c);
      if (i < 2) await run(c.id, { type: 'cancel', reason: '误报' }, ctx(actors.dispatcher));
    }
    const report = { districtId: 'd-chain', category: 'road', locationKey: '建设路8号', createdAt: new Date(NOW.getTime() + HOUR) };
    expect((await repo.findOpenDuplicates(report)).map((c) => c.id)).toEqual([created[2]!.id]);
  });

  test('a case number is found without its number key too (cases stored before the keys existed)', async () => {
    const c = await repo.create({ ...draft, districtId: 'd-legacy' }, ctx(actors.reporter));
    await caseNumberKeyModel(connection).deleteOne({ _id: `d-legacy|${c.number}` });
    expect((await repo.getByNumber('d-legacy', c.number))?.id).toBe(c.id);
  });

  test('open cases stored before the key documents existed are filed once, then found as duplicates', async () => {
    const legacy = await connectMongo(testMongoUri('cases_legacy'));
    try {
      const legacyRepo = new CaseRepository(legacy);
      const base = { ...draft, districtId: 'd-old', parsed: { ...draft.parsed, locationText: '老街1号' } };
      const open = await legacyRepo.create(base, ctx(actors.reporter));
      const closed = await legacyRepo.create(base, ctx(actors.reporter));
      await commandRunner(legacy)(closed.id, { type: 'cancel', reason: '误报' }, ctx(actors.dispatcher));
      await casePlaceKeyModel(legacy).deleteMany({});
      await caseNumberKeyModel(legacy).deleteMany({});
      const report = { districtId: 'd-old', category: 'road', locationKey: '老街1号', createdAt: new Date(NOW.getTime() + HOUR) };
      expect(await legacyRepo.findOpenDuplicates(report)).toEqual([]);
      expect(await legacyRepo.fileOpenCasesOnce()).toBe(1);
      expect((await legacyRepo.findOpenDuplicates(report)).map((c) => c.id)).toEqual([open.id]);
      expect(await caseNumberKeyModel(legacy).countDocuments()).toBe(1);
      expect(await legacyRepo.fileOpenCasesOnce()).toBe(0);
    } finally {
      await legacy.dropDatabase();
      await legacy.close();
    }
  });

  test('a writer whose claim was cleared as abandoned no longer holds it', async () => {
    let clock = Date.now();
    const claims = new CaseVersionClaims(caseTransitionModel(connection), caseModel(connection), 30_000, () => clock);
    const ticket = await claims.claim('case-x', 4, []);
    expect(ticket && (await claims.held(ticket))).toBe(true);
    expect(await claims.claim('case-x', 4, [])).toBeUndefined();
    // A claim is cleared only once stale: the writer has stalled that long, then another clears it.
    clock += 30_000;
    await caseTransitionModel(connection).deleteOne({ _id: ticket!.id });
    const thief = await claims.claim('case-x', 4, []);
    expect(thief && (await claims.held(thief))).toBe(true);
    expect(await claims.held(ticket!)).toBe(false);
  });

  test('merge points the duplicate at the target and lists it there', async () => {
    const target = await whistledCase(['zhujian'], { districtId: 'd-merge' });
    const dup = await whistledCase(['zhujian'], { districtId: 'd-merge' });
    const outcome = await run(dup.id, { type: 'merge', targetId: target.id }, ctx(actors.dispatcher));
    expect(outcome.ok).toBe(true);
    expect((await repo.get(dup.id))).toMatchObject({ state: 'merged', mergedInto: target.id });
    expect((await repo.get(target.id))?.mergedDuplicates).toEqual([dup.id]);
  });

  test('department statistics from $group/$sum match the pure maths', async () => {
    const street = { districtId: 'd-stats', streetId: 's-stats' };
    const a = await whistledCase(['zhujian', 'chengguan'], street);
    const b = await whistledCase(['zhujian'], street);
    await run(a.id, { type: 'accept' }, ctx(actors.zhangsan, { now: new Date(NOW.getTime() + 0.5 * HOUR) }));
    await run(a.id, { type: 'feedback', text: '修复' }, ctx(actors.zhangsan, { now: new Date(NOW.getTime() + 5 * HOUR) }));
    await run(a.id, { type: 'verify', outcome: 'solved' }, ctx(actors.dispatcher, { now: new Date(NOW.getTime() + 6 * HOUR) }));
    await run(a.id, { type: 'rate', value: 'dissatisfied' }, ctx(actors.dispatcher, { now: new Date(NOW.getTime() + 7 * HOUR) }));
    await run(b.id, { type: 'return', reason: '非本部门' }, ctx(actors.zhangsan, { now: new Date(NOW.getTime() + 0.2 * HOUR) }));
    await run(b.id, { type: 'whistle', departments: ['chengguan'] }, ctx(actors.dispatcher, { now: new Date(NOW.getTime() + 0.3 * HOUR) }));
    await run(b.id, { type: 'accept' }, ctx(actors.chengguan, { now: new Date(NOW.getTime() + 2 * HOUR) }));

    const period = { streetId: 's-stats', from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };
    const fromStore = await repo.departmentStats({ ...period, districtId: 'd-stats' });
    const stored = await Promise.all([a.id, b.id].map((id) => repo.get(id)));
    const expected = statsByDepartment(stored.flatMap((c) => (c ? assignmentFacts(c) : [])), period);
    expect(fromStore).toEqual(expected);
    expect(fromStore.find((s) => s.deptCode === 'zhujian')).toMatchObject({
      whistlesReceived: 2, accepted: 1, acceptedOnTime: 1, returns: 1, done: 1, closed: 1, solved: 1, rated: 1, satisfactionRate: 0, meanTimeToAcceptMs: 0.5 * HOUR, meanTimeToFinishMs: 4.5 * HOUR,
    });
    expect(fromStore.find((s) => s.deptCode === 'chengguan')).toMatchObject({ whistlesReceived: 2, accepted: 1, acceptedOnTime: 0 });
  });

  test('a reporter\'s latest cases come from the reporter keys once the older cases are filed, newest first, each once', async () => {
    const own = await connectMongo(testMongoUri('cases_reporters'));
    try {
      const ownRepo = new CaseRepository(own);
      const at = (h: number) => ctx(actors.reporter, { now: new Date(NOW.getTime() + h * HOUR) });
      const old = [await ownRepo.create({ ...draft, reporter: { openid: 'openid-keys' } }, at(1)), await ownRepo.create({ ...draft, reporter: { openid: 'openid-keys' } }, at(2))];
      // Stored before the keys existed: no reporter keys, so the query answers.
      await caseReporterKeyModel(own).deleteMany({});
      await counterModel(own).deleteMany({ _id: /^reporter\|/ });
      expect((await ownRepo.listByReporter('openid-keys')).map((c) => c.id)).toEqual([old[1]!.id, old[0]!.id]);
      expect(await ownRepo.fileReportersOnce()).toBe(2);
      expect(await ownRepo.fileReportersOnce()).toBe(0);
      const later = await ownRepo.create({ ...draft, reporter: { openid: 'openid-keys' } }, at(3));
      await ownRepo.create({ ...draft, reporter: { openid: 'someone-else' } }, at(4));
      // From now on no query: a case the keys do not name is not listed.
      await caseModel(own).collection.insertOne({ ...(await caseModel(own).findById(later.id).lean().exec()), _id: 'unfiled' as never, number: '2026-999999', createdAt: new Date(NOW.getTime() + 5 * HOUR) });
      expect((await ownRepo.listByReporter('openid-keys')).map((c) => c.id)).toEqual([later.id, old[1]!.id, old[0]!.id]);
      expect((await ownRepo.listByReporter('openid-keys', 2)).map((c) => c.id)).toEqual([later.id, old[1]!.id]);
      expect(await ownRepo.listByReporter('nobody')).toEqual([]);
    } finally {
      await own.dropDatabase();
      await own.close();
    }
  });

  test('cases by reporter', async () => {
    const c = await whistledCase(['shuiwu'], { districtId: 'd-list', streetId: 's-list', reporter: { openid: 'openid-list' } });
    expect((await repo.listByReporter('openid-list')).map((x) => x.id)).toEqual([c.id]);
  });
});
