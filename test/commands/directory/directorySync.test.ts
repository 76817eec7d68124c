import { actorForUser } from '../../../commands/actors';
import { cachedOrg } from '../../../commands/cachedOrg';
import { DirectorySyncRefused } from '../../../commands/directory/directorySync';
import type { Env } from '../../../config';
import { loadDistrictSeed } from '../../../config/district';
import { FakeWecomServer } from '../../../fakes/wecom';
import { directorySyncCommand } from '../../../scripts/directory-sync';
import { CaseRepository } from '../../../store/caseRepository';
import { ctx, draft } from '../../src/cases/fixtures';
import { testMongoUri, testPrefix } from '../../support/isolation';
import { waitFor } from '../../support/wait';
import { demoDirectory } from './support/demoDirectory';
import { DEMO_DISTRICT, directoryEnv, startInstance, type Instance } from './support/instance';

const SEED = loadDistrictSeed(DEMO_DISTRICT);

describe('directory sync from WeChat Work (fake server, real store and Redis)', () => {
  const fake = new FakeWecomServer({ corpId: 'wwdirsync', secret: 'app-secret', directorySecret: 'directory-secret' });
  const mongoUri = testMongoUri('dirsync');
  const prefix = testPrefix('dirsync');
  let env: Env;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    await fake.listen();
    env = directoryEnv(fake, mongoUri, prefix);
    a = await startInstance(env, { pageSize: 10 });
    b = await startInstance(env, { pageSize: 10 });
    await a.org.loadSeed(SEED);
  });
  beforeEach(() => {
    fake.clearFailures();
    fake.directory.load(demoDirectory());
  });
  afterAll(async () => {
    await a.mongo.dropDatabase();
    await a.close();
    await b.close();
    await fake.close();
  });

  const snapshotVersion = () => a.snapshotVersion();

  it('reads the directory with its own token (user/list_id page by page) and finds the seed\'s people where the seed put them', async () => {
    const report = await a.sync.fullSync();
    expect(report.applied).toBe(true);
    expect(report.diff).toEqual({ added: [], removed: [], moved: [], roles: [], renamed: [] });
    expect(report.unmapped).toEqual(['outsourced-1']);
    expect(report.users).toBe(SEED.users.length);
    // 44 member rows in pages of 10: five calls, each after the first carrying the cursor it was given.
    const pages = fake.callLog('/cgi-bin/user/list_id');
    expect(pages).toHaveLength(5);
    expect(pages.slice(1).every((c) => typeof (c.body as { cursor?: unknown }).cursor === 'string')).toBe(true);
    // The directory's token is not the app's: the app secret never asked for it.
    expect(fake.callLog('/cgi-bin/gettoken').map((c) => c.query.corpsecret)).toEqual(['directory-secret']);
    expect(await a.org.user('grid-zhang')).toMatchObject({ name: '张网格', roles: ['grid_member'], gridId: 'nongji-1', communityId: 'nongji', streetId: 'wenming' });
    expect(await a.org.user('street-leader-wenming')).toMatchObject({ roles: ['street_leader'], streetId: 'wenming' });
    expect(await a.org.user('district-admin')).toMatchObject({ roles: ['admin'] });
    expect(await a.org.department(SEED.district.id, 'zhujian')).toMatchObject({ leadUserIds: ['zhujian-lead'], memberUserIds: ['zhujian-lead', 'zhujian-staff'] });
  });

  it('a member moved to another community\'s department gets that community\'s role', async () => {
    await a.sync.fullSync();
    fake.directory.moveMember('grid-zhang', [321]);
    fake.directory.moveMember('community-nongji', [32]);
    const report = await a.sync.fullSync();
    expect(report.diff.moved).toEqual([
      { userId: 'grid-zhang', name: '张网格', from: 'wenming/nongji/nongji-1', to: 'wenming/jiangjunfu/jiangjunfu-1' },
      { userId: 'community-nongji', name: '农机社区工作人员', from: 'wenming/nongji', to: 'wenming/jiangjunfu' },
    ].sort((x, y) => x.userId.localeCompare(y.userId)));
    expect(await a.org.user('grid-zhang')).toMatchObject({ gridId: 'jiangjunfu-1', communityId: 'jiangjunfu' });
    expect((await a.org.communityStaff('jiangjunfu')).map((u) => u._id)).toEqual(['community-nongji', 'grid-wang', 'grid-zhang']);
    expect((await a.org.communityStaff('nongji')).map((u) => u._id)).toEqual(['grid-li']);
    // A grid member moved into a department: the grid role goes, the department's comes.
    fake.directory.moveMember('grid-zhao', [12]);
    await a.sync.fullSync();
    expect(await a.org.user('grid-zhao')).toMatchObject({ roles: ['dept_member'], deptCode: 'chengguan' });
    expect((await a.org.user('grid-zhao'))?.gridId).toBeUndefined();
  });

  it('a department renamed keeps its id, so its cases and people stay; a street mapped by name follows its rename', async () => {
    await a.sync.fullSync();
    const cases = new CaseRepository(a.mongo);
    const reporter = { userId: 'grid-zhang', name: '张网格', role: 'grid', communityId: 'nongji' } as const;
    const filed = await cases.create({ ...draft, districtId: SEED.district.id, streetId: 'wenming', communityId: 'nongji', gridId: 'nongji-1', reporter: { userId: 'grid-zhang', name: '张网格' } }, ctx(reporter));
    fake.directory.renameDepartment(31, '农机新村社区');
    fake.directory.renameDepartment(30, '文明路街道'); // mapped by the name "文明街道"
    const report = await a.sync.fullSync();
    expect(report.diff.renamed).toEqual([
      { kind: 'street', id: 'wenming', from: '文明街道', to: '文明路街道' },
      { kind: 'community', id: 'nongji', from: '农机社区', to: '农机新村社区' },
    ]);
    expect(report.diff.moved).toEqual([]);
    expect(report.diff.removed).toEqual([]);
    expect(await a.org.community('nongji')).toMatchObject({ name: '农机新村社区', streetId: 'wenming' });
    expect(await a.org.street('wenming')).toMatchObject({ name: '文明路街道', dispatcherUserIds: ['dispatcher-wenming'] });
    expect(await a.org.user('grid-zhang')).toMatchObject({ communityId: 'nongji', gridId: 'nongji-1' });
    // The case filed before the rename still points at the community, whose people still verify it.
    const kept = await cases.get(filed.id);
    expect(kept?.communityId).toBe('nongji');
    expect((await a.org.community(kept!.communityId!))?.name).toBe('农机新村社区');
    expect((await a.org.communityStaff(kept!.communityId!)).map((u) => u._id)).toEqual(['community-nongji', 'grid-li', 'grid-zhang']);
    // Another sync with the new name still binds the street (remembered by id), and changes nothing.
    expect((await a.sync.fullSync()).diff.renamed).toEqual([]);
    expect(await a.org.user('dispatcher-wenming')).toMatchObject({ roles: ['dispatcher'], streetId: 'wenming' });
  });

  it('someone removed loses their roles at once, in this process and in another one (told through Redis)', async () => {
    await a.sync.fullSync();
    const cachedInB = cachedOrg(b.org, 30_000, Date.now, b.changes);
    await b.changes.ready();
    expect(await actorForUser(cachedInB, 'grid-li', ['grid'])).toMatchObject({ userId: 'grid-li', role: 'grid' });

    fake.directory.removeMember('grid-li');
    const report = await a.sync.fullSync();
    expect(report.diff.removed).toEqual([{ userId: 'grid-li', name: '李网格' }]);
    expect(await a.org.user('grid-li')).toBeNull();
    expect((await a.org.grid('nongji-2'))?.memberUserIds).toEqual([]);
    // B cached grid-li for 30 s; the notice makes it forget well before.
    const removedAt = Date.now();
    await waitFor('the other process to forget grid-li', async () => (await actorForUser(cachedInB, 'grid-li', ['grid'])) === undefined, 2_000);
    expect(Date.now() - removedAt).toBeLessThan(2_000);
  });

  it('a sync that fails half-way (user/get 500s on the 3rd page) applies nothing and says what to do', async () => {
    await a.sync.fullSync();
    const before = await snapshotVersion();
    fake.directory.removeMember('grid-li');
    fake.directory.moveMember('grid-zhang', [321]);
    // Members are read 10 ids a page; the 25th user/get falls on the 3rd page.
    fake.failNext('server-error', 1, { path: '/cgi-bin/user/get', skip: 24, status: 500 });
    await expect(a.sync.fullSync()).rejects.toThrow(/user\/get answered HTTP 500.*retry later/);
    expect(await snapshotVersion()).toBe(before);
    expect(await a.org.user('grid-li')).toMatchObject({ roles: ['grid_member'] });
    expect(await a.org.user('grid-zhang')).toMatchObject({ gridId: 'nongji-1' });

    // The same when user/list_id fails on its 3rd page.
    fake.failNext('server-error', 1, { path: '/cgi-bin/user/list_id', skip: 2 });
    await expect(a.sync.fullSync()).rejects.toThrow(/user\/list_id answered HTTP 502/);
    expect(await snapshotVersion()).toBe(before);

    // Once WeChat Work answers again, the next sync applies both changes.
    const report = await a.sync.fullSync();
    expect(report.diff.removed.map((p) => p.userId)).toEqual(['grid-li']);
    expect(report.diff.moved.map((p) => p.userId)).toEqual(['grid-zhang']);
  });

  it('a dry run prints the diff and changes nothing', async () => {
    await a.sync.fullSync();
    const before = await snapshotVersion();
    fake.directory.addMember({ userId: 'grid-sun', name: '孙网格', departments: [312] });
    fake.directory.removeMember('grid-wang');
    fake.directory.renameDepartment(33, '和平里社区');
    const report = await a.sync.fullSync({ dryRun: true });
    expect(report).toMatchObject({ applied: false, dryRun: true, version: before });
    expect(report.diff.added).toEqual([{ userId: 'grid-sun', name: '孙网格' }]);
    expect(report.diff.removed).toEqual([{ userId: 'grid-wang', name: '王网格' }]);
    expect(report.diff.renamed).toEqual([{ kind: 'community', id: 'heping', from: '和平社区', to: '和平里社区' }]);
    expect(await snapshotVersion()).toBe(before);
    expect(await a.org.user('grid-sun')).toBeNull();
    expect(await a.org.user('grid-wang')).not.toBeNull();
    expect((await a.org.community('heping'))?.name).toBe('和平社区');
  });

  it('refuses a sync that would remove most people (a wrong secret or visibility), unless forced', async () => {
    await a.sync.fullSync();
    const before = await snapshotVersion();
    for (const code of ['zhujian', 'chengguan', 'shuiwu', 'ranqi', 'gongdian', 'shichang', 'paichusuo', 'jiaojing']) {
      fake.directory.removeMember(`${code}-lead`);
      fake.directory.removeMember(`${code}-staff`);
    }
    const refused = a.sync.fullSync();
    await expect(refused).rejects.toBeInstanceOf(DirectorySyncRefused);
    await expect(refused).rejects.toThrow(/remove 16 of 43 people.*--force/);
    expect(await snapshotVersion()).toBe(before);
    expect(await a.org.user('zhujian-lead')).not.toBeNull();
    const forced = await a.sync.fullSync({ force: true });
    expect(forced.diff.removed).toHaveLength(16);
    expect(await a.org.user('zhujian-lead')).toBeNull();
  });

  it('a mapped department deleted in WeChat Work leaves its unit without members and is reported, not an error', async () => {
    await a.sync.fullSync();
    fake.directory.moveMember('grid-zhao', [312]);
    fake.directory.removeDepartment(331);
    const report = await a.sync.fullSync();
    expect(report.applied).toBe(true);
    expect(report.missing).toEqual(['entries.24 (WeChat Work department id 331)']);
    expect(await a.org.user('grid-zhao')).toMatchObject({ gridId: 'nongji-2' });
    expect((await a.org.grid('heping-1'))?.memberUserIds).toEqual([]);
  });

  it('npm run directory:sync -- --dry-run prints the diff and progress and changes nothing; bad flags are refused', async () => {
    await a.sync.fullSync();
    const before = await snapshotVersion();
    fake.directory.moveMember('grid-wang', [331]);
    fake.directory.renameDepartment(32, '将军府新社区');
    const out: string[] = [];
    const err: string[] = [];
    const capture = (lines: string[]) => ({ write: (text: string) => lines.push(text) });
    expect(await directorySyncCommand(['--dry-run'], env, capture(out), capture(err))).toBe(0);
    expect(out.join('')).toBe(['~ moved    王网格 (grid-wang): wenming/jiangjunfu/jiangjunfu-1 → wenming/heping/heping-1', '~ renamed  community jiangjunfu: 将军府社区 → 将军府新社区', ''].join('\n'));
    expect(err.join('')).toContain('reading members: 44/44');
    expect(err.join('')).toContain('43 people; 0 added, 0 removed, 1 moved, 0 with other roles, 1 units renamed; dry run: nothing changed; 1 WeChat Work members in no mapped department');
    expect(await snapshotVersion()).toBe(before);
    expect(await a.org.user('grid-wang')).toMatchObject({ gridId: 'jiangjunfu-1' });

    expect(await directorySyncCommand([], env, capture(out), capture(err))).toBe(0);
    expect(await a.org.user('grid-wang')).toMatchObject({ gridId: 'heping-1' });
    expect(await directorySyncCommand(['--dryrun'], env, capture(out), capture(err))).toBe(64);
  });
});
