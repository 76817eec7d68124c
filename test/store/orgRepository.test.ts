import type { Connection } from 'mongoose';
import { loadDistrictSeed } from '../../config/district';
import { connectMongo } from '../../store/connection';
import { OrgRepository } from '../../store/orgRepository';
import { testMongoUri } from '../support/isolation';

describe('organisation repository on a real MongoDB-protocol store', () => {
  let connection: Connection;
  let org: OrgRepository;
  const seed = loadDistrictSeed(`${__dirname}/../../config/district.demo.json`);

  beforeAll(async () => {
    connection = await connectMongo(testMongoUri('org'));
    org = new OrgRepository(connection);
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('loads a district seed idempotently and answers who is who', async () => {
    const first = await org.loadSeed(seed);
    const second = await org.loadSeed(seed);
    expect(second).toEqual(first);
    expect(await org.usersWithRole('demo-district', 'grid_member')).toHaveLength(4);

    const zhang = await org.user('grid-zhang');
    expect(zhang).toMatchObject({ roles: ['grid_member'], gridId: 'nongji-1', communityId: 'nongji', streetId: 'wenming' });
    const roads = await org.department('demo-district', 'zhujian');
    expect(roads).toMatchObject({ name: '住建局', leadUserIds: ['zhujian-lead'], memberUserIds: ['zhujian-lead', 'zhujian-staff'] });
    expect(roads?.chat).toEqual({ kind: 'webhook', key: 'demo-webhook-zhujian' });
    expect((await org.street('wenming'))?.dispatcherUserIds).toEqual(['dispatcher-wenming']);
    expect((await org.grid('nongji-1'))?.memberUserIds).toEqual(['grid-zhang']);
  });

  it('loads one seed from several processes starting at once on an empty store (the race of first upserts)', async () => {
    // A city's web and worker processes start together: each loads the seed into the same empty store.
    const fresh = connection.useDb(`${connection.name}_race`, { useCache: false });
    const starters = Array.from({ length: 4 }, () => fresh.useDb(fresh.name, { useCache: false }));
    try {
      // Every load settles before the database is dropped: a drop racing a load still writing could stall the store.
      const settled = await Promise.allSettled(starters.map((db) => new OrgRepository(db).loadSeed(seed)));
      expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
      const counts = settled.map((s) => (s.status === 'fulfilled' ? s.value : null));
      expect(new Set(counts.map((c) => JSON.stringify(c))).size).toBe(1);
      expect((await new OrgRepository(fresh).district('demo-district'))?.name).toBe(seed.district.name);
      expect(await new OrgRepository(fresh).usersWithRole('demo-district', 'grid_member')).toHaveLength(4);
    } finally {
      await fresh.dropDatabase();
    }
  });

  it('reloads a district with more people than one update command may upsert on FerretDB v1 (the pool of open cursors)', async () => {
    // FerretDB v1 holds one pooled SQLite connection (100 per database) for every statement of an
    // update command until the command ends; a reload of 150 existing people in one command waited for
    // a 101st connection forever. Each load must finish, the second one replacing every row.
    const staff = Array.from({ length: 150 }, (_, i) => ({ userId: `zhujian-extra-${i}`, name: `住建干事${i}`, roles: ['dept_member' as const], deptCode: 'zhujian' }));
    const large = { ...seed, users: [...seed.users, ...staff] };
    expect((await org.loadSeed(large)).users).toBe(seed.users.length + 150);
    const renamed = { ...large, users: large.users.map((u) => (u.userId === 'zhujian-extra-149' ? { ...u, name: '改名的干事' } : u)) };
    expect((await org.loadSeed(renamed)).users).toBe(seed.users.length + 150);
    expect((await org.user('zhujian-extra-149'))?.name).toBe('改名的干事');
    expect((await org.department('demo-district', 'zhujian'))?.memberUserIds).toHaveLength(2 + 150);
    await org.loadSeed(seed);
    expect(await org.user('zhujian-extra-0')).toBeNull();
  });

  it('removes people who left the seed file', async () => {
    const smaller = { ...seed, users: seed.users.filter((u) => u.userId !== 'grid-li') };
    await org.loadSeed(smaller);
    expect(await org.user('grid-li')).toBeNull();
    expect((await org.grid('nongji-2'))?.memberUserIds).toEqual([]);
    await org.loadSeed(seed);
    expect(await org.user('grid-li')).not.toBeNull();
  });

  it('given the seed loaded last, writes only what differs from it: the result equals a full load', async () => {
    await org.loadSeed(seed);
    const moved = {
      ...seed,
      users: seed.users
        .filter((u) => u.userId !== 'grid-li')
        .map((u) => (u.userId === 'grid-zhang' ? { ...u, name: '张网格（新）' } : u)),
    };
    // A row the delta must not touch: were everyone rewritten, this mark would be gone.
    const users = connection.collection<{ _id: string; name: string }>('users');
    await users.updateOne({ _id: 'zhujian-lead' }, { $set: { name: 'untouched-mark' } });
    await org.loadSeed(moved, seed);
    expect((await org.user('zhujian-lead'))?.name).toBe('untouched-mark');
    expect((await org.user('grid-zhang'))?.name).toBe('张网格（新）');
    expect(await org.user('grid-li')).toBeNull();
    expect((await org.grid('nongji-2'))?.memberUserIds).toEqual([]);

    // The same change loaded in full gives the same organisation (the mark aside).
    const afterDelta = await users.find({ _id: { $ne: 'zhujian-lead' } }).sort({ _id: 1 }).toArray();
    await org.loadSeed(moved);
    expect(await users.find({ _id: { $ne: 'zhujian-lead' } }).sort({ _id: 1 }).toArray()).toEqual(afterDelta);
    expect((await org.user('zhujian-lead'))?.name).not.toBe('untouched-mark');
  });
});
