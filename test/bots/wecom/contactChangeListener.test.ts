import { listenToContactChanges } from '../../../bots/wecom/contactChangeListener';
import { actorForUser } from '../../../commands/actors';
import { cachedOrg } from '../../../commands/cachedOrg';
import { DirectorySyncRefused } from '../../../commands/directory/directorySync';
import { loadDistrictSeed } from '../../../config/district';
import { FakeWecomServer } from '../../../fakes/wecom';
import { InboundDispatcher } from '../../../jobs/inbound/dispatcher';
import { startHarness, TEST_CORP, type Harness } from './inbound/support/harness';
import { testMongoUri, testPrefix } from '../../support/isolation';
import { demoDirectory } from '../../commands/directory/support/demoDirectory';
import { DEMO_DISTRICT, directoryEnv, startInstance, type Instance } from '../../commands/directory/support/instance';

/**
 * change_contact callbacks through the real receiver (signed, encrypted, queued, worker): each one
 * re-reads what it names from the fake WeChat Work and updates the organisation everywhere.
 */
describe('change_contact callbacks keep the organisation current', () => {
  const fake = new FakeWecomServer({ corpId: TEST_CORP.corpId, secret: 'app-secret', directorySecret: 'directory-secret' });
  let h: Harness;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    await fake.listen();
    const env = directoryEnv(fake, testMongoUri('contact_changes'), testPrefix('contact_changes'));
    a = await startInstance(env);
    b = await startInstance(env);
    fake.directory.load(demoDirectory());
    await a.org.loadSeed(loadDistrictSeed(DEMO_DISTRICT));
    await a.sync.fullSync();
    h = await startHarness('contact_changes');
    listenToContactChanges(h.dispatcher, a.sync);
    h.startWorker();
  });
  afterAll(async () => {
    await h.close();
    await a.mongo.dropDatabase();
    await a.close();
    await b.close();
    await fake.close();
  });

  const accepted = (response: { status: number; body: string }) => expect(response).toEqual({ status: 200, body: '' });

  it('delete_user: the member loses their roles at once, here and in another process, after WeChat Work confirms (user/get 60111)', async () => {
    const cachedInB = cachedOrg(b.org, 30_000, Date.now, b.changes);
    await b.changes.ready();
    expect(await actorForUser(cachedInB, 'grid-zhao', ['grid'])).toBeDefined();
    const version = await a.snapshotVersion();
    accepted(await h.sender.sendContactChange(fake.directory.removeMember('grid-zhao')));
    await h.waitFor(async () => (await a.org.user('grid-zhao')) === null, 5_000);
    await h.waitFor(async () => (await actorForUser(cachedInB, 'grid-zhao', ['grid'])) === undefined, 2_000);
    expect(await a.snapshotVersion()).toBe(version + 1);
    expect(fake.callLog('/cgi-bin/user/get').at(-1)).toMatchObject({ query: expect.objectContaining({ userid: 'grid-zhao' }), outcome: { kind: 'answered', errcode: 60111 } });
  });

  it('create_user and update_user (a move): re-read with user/get, role from the new department', async () => {
    accepted(await h.sender.sendContactChange(fake.directory.addMember({ userId: 'grid-qian', name: '钱网格', departments: [331] })));
    await h.waitFor(async () => (await a.org.user('grid-qian')) !== null, 5_000);
    expect(await a.org.user('grid-qian')).toMatchObject({ name: '钱网格', roles: ['grid_member'], gridId: 'heping-1', communityId: 'heping' });

    accepted(await h.sender.sendContactChange(fake.directory.moveMember('grid-qian', [32])));
    await h.waitFor(async () => (await a.org.user('grid-qian'))?.communityId === 'jiangjunfu', 5_000);
    expect(await a.org.user('grid-qian')).toMatchObject({ roles: ['community_worker'], communityId: 'jiangjunfu', streetId: 'wenming' });
    expect((await a.org.user('grid-qian'))?.gridId).toBeUndefined();
  });

  it('update_party (a rename) re-reads department/list; the unit keeps its id', async () => {
    const lists = fake.callLog('/cgi-bin/department/list').length;
    accepted(await h.sender.sendContactChange(fake.directory.renameDepartment(312, '农机社区二网格')));
    await h.waitFor(async () => (await a.org.grid('nongji-2'))?.name === '农机社区二网格', 5_000);
    expect(fake.callLog('/cgi-bin/department/list').length).toBe(lists + 1);
    expect(await a.org.user('grid-li')).toMatchObject({ gridId: 'nongji-2' });
  });

  it('a userid changed (NewUserID): the old id loses its roles, the new one holds them', async () => {
    const member = fake.directory.member('grid-wang')!;
    fake.directory.removeMember('grid-wang');
    fake.directory.addMember({ userId: 'grid-wang2', name: member.name, departments: member.department });
    accepted(await h.sender.sendContactChange({ changeType: 'update_user', userId: 'grid-wang', newUserId: 'grid-wang2' }));
    // The collections follow the snapshot upserts first, removals after: wait for both.
    await h.waitFor(async () => (await a.org.user('grid-wang2')) !== null && (await a.org.user('grid-wang')) === null, 5_000);
    expect(await a.org.user('grid-wang2')).toMatchObject({ roles: ['grid_member'], gridId: 'jiangjunfu-1' });
  });

  it('a delete_user WeChat Work contradicts (still a member: out of order) keeps the member', async () => {
    const version = await a.snapshotVersion();
    accepted(await h.sender.sendContactChange({ changeType: 'delete_user', userId: 'grid-li' }));
    await h.waitFor(async () => (await a.snapshotVersion()) > version, 5_000);
    expect(await a.org.user('grid-li')).toMatchObject({ roles: ['grid_member'] });
  });

  it('several changes at once are applied one after another (none lost)', async () => {
    const changes = [
      fake.directory.addMember({ userId: 'p1', name: '甲', departments: [11] }),
      fake.directory.addMember({ userId: 'p2', name: '乙', departments: [12], leads: [12] }),
      fake.directory.addMember({ userId: 'p3', name: '丙', departments: [30] }),
    ];
    for (const response of await Promise.all(changes.map((c) => h.sender.sendContactChange(c)))) accepted(response);
    await h.waitFor(async () => (await Promise.all(['p1', 'p2', 'p3'].map((id) => a.org.user(id)))).every((u) => u !== null), 10_000);
    expect(await a.org.user('p2')).toMatchObject({ roles: ['dept_lead'], deptCode: 'chengguan' });
    expect(await a.org.user('p3')).toMatchObject({ roles: ['dispatcher'], streetId: 'wenming' });
  });

  it('WeChat Work failing while a callback is handled: the job fails and is retried until it applies', async () => {
    fake.failNext('server-error', 1, { path: '/cgi-bin/user/get' });
    accepted(await h.sender.sendContactChange(fake.directory.removeMember('p1')));
    await h.waitFor(async () => (await a.org.user('p1')) === null, 15_000);
    expect(h.logs.some((l) => l.msg === 'inbound job failed; will retry')).toBe(true);
  });
});

describe('the change_contact listener', () => {
  const event = { type: 'change_contact', changeType: 'delete_user', userId: 'x', fromUser: 'sys', toUser: 'corp', createTime: 1, dedupeKey: 'evt-1' } as const;

  it('does not retry a change the mapping refuses (logged), but lets other failures fail the job', async () => {
    const refused = new InboundDispatcher();
    listenToContactChanges(refused, { applyChange: () => Promise.reject(new DirectorySyncRefused(['no street'], 'fix it')) });
    await expect(refused.dispatch(event)).resolves.toBe(1);
    const failing = new InboundDispatcher();
    listenToContactChanges(failing, { applyChange: () => Promise.reject(new Error('store down')) });
    await expect(failing.dispatch(event)).rejects.toThrow('store down');
  });
});
