import type { Connection } from 'mongoose';
import { AllianceRepository } from '../../../store/alliance/allianceRepository';
import { connectMongo } from '../../../store/connection';
import { activity } from '../../src/alliance/fixtures';
import { testMongoUri } from '../../support/isolation';

/** Races on FerretDB: no transactions, so the unique claims alone must keep seats, check-ins and exchanges single. */
describe('alliance repository under concurrent taps', () => {
  let mongo: Connection;
  let repo: AllianceRepository;
  const now = new Date('2026-05-01T00:00:00Z');
  beforeAll(async () => {
    mongo = await connectMongo(testMongoUri('alliance_repo'));
    repo = new AllianceRepository(mongo);
    await repo.ensureIndexes();
  });
  afterAll(async () => {
    await mongo.dropDatabase();
    await mongo.close();
  });

  it('six sign-ups at once for 2 seats and 2 waiting places: 2 seated on distinct seats, 2 waiting, 2 refused and not stored', async () => {
    const a = activity({ id: 'A00000000race', capacity: 2, waitlistCapacity: 2 });
    const people = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
    const outcomes = await Promise.all(people.map((p) => repo.signUp(a, p, 2026, now)));
    const kinds = outcomes.map((o) => o.kind).sort();
    expect(kinds).toEqual(['full', 'full', 'seated', 'seated', 'waitlisted', 'waitlisted']);
    const seats = outcomes.flatMap((o) => (o.kind === 'seated' ? [o.seat] : [])).sort();
    expect(seats).toEqual([1, 2]);
    expect(await repo.signupsOf(a.id)).toHaveLength(4);
  });

  it('the same person tapping twice at once gets one sign-up', async () => {
    const a = activity({ id: 'A000000double', capacity: 5, waitlistCapacity: 0 });
    const outcomes = await Promise.all([repo.signUp(a, 'p1', 2026, now), repo.signUp(a, 'p1', 2026, now)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['duplicate', 'seated']);
    expect(await repo.signupsOf(a.id)).toHaveLength(1);
  });

  it('two withdrawals at once promote two different people from the waiting list, each once', async () => {
    const a = activity({ id: 'A0000000promo', capacity: 2, waitlistCapacity: 3 });
    for (const p of ['s1', 's2', 'w1', 'w2', 'w3']) await repo.signUp(a, p, 2026, new Date(now.getTime() + Number(p.slice(1)) + (p.startsWith('w') ? 10 : 0)));
    await Promise.all([repo.withdraw(a, 's1', now), repo.withdraw(a, 's2', now)]);
    const promoted = await Promise.all([repo.promoteFromWaitlist(a, now), repo.promoteFromWaitlist(a, now)]);
    expect(promoted.map((p) => p?.participantId).sort()).toEqual(['w1', 'w2']);
    const seated = (await repo.signupsOf(a.id)).filter((s) => s.seat !== undefined && s.withdrawnAt === undefined);
    expect(seated.map((s) => [s.participantId, s.seat]).sort()).toEqual([['w1', expect.any(Number)], ['w2', expect.any(Number)]]);
    expect(new Set(seated.map((s) => s.seat)).size).toBe(2);
    expect(await repo.promoteFromWaitlist(a, now)).toBeUndefined();
  });

  it('a check-in, a confirmation and a check-out are each recorded once even when sent twice at once', async () => {
    const a = activity({ id: 'A00000000once', capacity: 1, waitlistCapacity: 0 });
    await repo.signUp(a, 'p1', 2026, now);
    expect((await Promise.all([repo.confirm(a.id, 'p1', 'org', now), repo.confirm(a.id, 'p1', 'org', now)])).sort()).toEqual([false, true]);
    expect((await Promise.all([repo.checkIn(a.id, 'p1', 'location', now), repo.checkIn(a.id, 'p1', 'qr', now)])).sort()).toEqual([false, true]);
    expect((await Promise.all([repo.checkOut(a.id, 'p1', now), repo.checkOut(a.id, 'p1', now)])).sort()).toEqual([false, true]);
  });

  it('two corrections at once get numbers 1 and 2 and are both kept', async () => {
    const a = activity({ id: 'A00000000corr', capacity: 1, waitlistCapacity: 0 });
    await repo.signUp(a, 'p1', 2026, now);
    const numbers = await Promise.all([repo.correct(a.id, 'p1', { hours: 1, reason: '甲', by: 'x', at: now }), repo.correct(a.id, 'p1', { hours: 2, reason: '乙', by: 'x', at: now })]);
    expect(numbers.sort()).toEqual([1, 2]);
    expect((await repo.signup(a.id, 'p1'))?.corrections).toHaveLength(2);
  });
});
