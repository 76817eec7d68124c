import { Queue } from 'bullmq';
import { composeApp } from '../../app/compose';
import { startRuntime, type Runtime } from '../../app/runtime';
import { loadEnv, type Env } from '../../config';
import { FakeWecomServer } from '../../fakes/wecom';
import { CallbackSender } from '../../fakes/wecom/callbackSender';
import { DIRECTORY_SYNC_QUEUE } from '../../jobs/directory/nightlySync';
import { createLogger } from '../../infra/logger';
import { DirectorySnapshotRepository } from '../../store/directorySnapshotRepository';
import { demoDirectory } from '../commands/directory/support/demoDirectory';
import { testMongoUri, testPrefix, testRedisUrl } from '../support/isolation';
import { waitFor } from '../support/wait';

const CALLBACK = { token: 'dirsyncToken', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };

/** The app as `npm start` composes it, with directory sync on: first sync, callbacks, restarts. */
describe('directory sync inside the composed app', () => {
  const fake = new FakeWecomServer({ corpId: 'wwdirwiring', secret: 'app-secret', directorySecret: 'directory-secret' });
  const mongoUri = testMongoUri('dir_wiring');
  const prefix = testPrefix('dir_wiring');
  let runtime: Runtime | undefined;

  const envWith = (extra: Record<string, string>): Env =>
    loadEnv({
      MONGODB_URI: mongoUri, REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, PORT: '0', HOST: '127.0.0.1', ROLE: 'all',
      WECOM_CORP_ID: fake.corpId, WECOM_AGENT_ID: String(fake.agentId), WECOM_SECRET: fake.secret, WECOM_TOKEN: CALLBACK.token, WECOM_ENCODING_AES_KEY: CALLBACK.encodingAesKey,
      WECOM_API_BASE: fake.baseUrl, ...extra,
    });
  const start = async (extra: Record<string, string>) => {
    const env = envWith(extra);
    runtime = await startRuntime(env, createLogger({ level: 'silent' }), composeApp(env));
    return runtime;
  };
  const stop = async () => {
    await runtime?.stop();
    runtime = undefined;
  };

  beforeAll(async () => {
    await fake.listen();
    fake.directory.load(demoDirectory());
  });
  afterAll(async () => {
    if (runtime) {
      await runtime.mongo.dropDatabase();
      await stop();
    }
    await fake.close();
  });

  it('without the directory secret the JSON seed is the organisation and WeChat Work\'s directory is never read', async () => {
    const app = await start({});
    expect(await app.org.user('grid-li')).toMatchObject({ roles: ['grid_member'] });
    await stop();
    expect(fake.callLog('/cgi-bin/user/list_id')).toHaveLength(0);
  });

  it('with it: the first sync runs at start, change_contact callbacks apply, a restart keeps the synced organisation', async () => {
    fake.directory.removeMember('grid-li');
    const app = await start({ WECOM_DIRECTORY_SECRET: fake.directorySecret });
    const snapshots = new DirectorySnapshotRepository(app.mongo);
    // The snapshot is written first, the org collections follow: grid-li (left WeChat Work before the start) goes.
    await waitFor('the first directory sync', async () => (await snapshots.latest('demo-district'))?.version === 1 && (await app.org.user('grid-li')) === null);

    const queue = new Queue(DIRECTORY_SYNC_QUEUE, { connection: { url: testRedisUrl() }, prefix });
    expect(await queue.getJobSchedulers()).toEqual([expect.objectContaining({ pattern: '30 2 * * *', tz: 'Asia/Shanghai' })]);
    await queue.close();

    const sender = new CallbackSender({ url: `${app.url}/wecom/callback`, corpId: fake.corpId, agentId: fake.agentId, ...CALLBACK });
    expect((await sender.sendContactChange(fake.directory.removeMember('grid-wang'))).status).toBe(200);
    await waitFor('the callback to remove grid-wang', async () => (await app.org.user('grid-wang')) === null);
    await stop();

    // A restart rebuilds from the last snapshot, not from DISTRICT_CONFIG's people, and reads nothing from WeChat Work.
    const calls = fake.callLog('/cgi-bin/user/get').length;
    const again = await start({ WECOM_DIRECTORY_SECRET: fake.directorySecret });
    expect(await again.org.user('grid-li')).toBeNull();
    expect(await again.org.user('grid-wang')).toBeNull();
    expect(await again.org.user('grid-zhang')).toMatchObject({ roles: ['grid_member'], gridId: 'nongji-1' });
    expect(fake.callLog('/cgi-bin/user/get')).toHaveLength(calls);
  });
});
