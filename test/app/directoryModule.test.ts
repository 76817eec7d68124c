import { Queue } from 'bullmq';
import { DIRECTORY_SYNC_QUEUE } from '../../jobs/directory/nightlySync';
import { bullConnection } from '../../jobs/outbox';
import { DirectorySnapshotRepository } from '../../store/directorySnapshotRepository';
import { demoDirectory } from '../commands/directory/support/demoDirectory';
import { TestApp } from '../support/testApp';
import { waitFor } from '../support/wait';

const FAKE = { corpId: 'wwdirwiring', secret: 'app-secret', directorySecret: 'directory-secret' };

/** The app as `npm start` composes it, with directory sync on: first sync, callbacks, restarts. */
describe('directory sync inside the composed app', () => {
  it('without the directory secret the JSON seed is the organisation and WeChat Work\'s directory is never read', async () => {
    const h = new TestApp('dir_wiring_seed', { fake: FAKE });
    h.fake.directory.load(demoDirectory());
    await h.start();
    try {
      expect(await h.org.user('grid-li')).toMatchObject({ roles: ['grid_member'] });
    } finally {
      await h.stop();
    }
    expect(h.fake.callLog('/cgi-bin/user/list_id')).toHaveLength(0);
  });

  it('with it: the first sync runs at start, change_contact callbacks apply, a restart keeps the synced organisation', async () => {
    const h = new TestApp('dir_wiring', { fake: FAKE, env: { WECOM_DIRECTORY_SECRET: FAKE.directorySecret } });
    h.fake.directory.load(demoDirectory());
    h.fake.directory.removeMember('grid-li');
    await h.start();
    try {
      const snapshots = new DirectorySnapshotRepository(h.mongo);
      // The snapshot is written first, the org collections follow: grid-li (left WeChat Work before the start) goes.
      await waitFor('the first directory sync', async () => (await snapshots.latest('demo-district'))?.version === 1 && (await h.org.user('grid-li')) === null);

      const queue = new Queue(DIRECTORY_SYNC_QUEUE, { connection: bullConnection(h.env.REDIS_URL), prefix: h.env.QUEUE_PREFIX });
      expect(await queue.getJobSchedulers()).toEqual([expect.objectContaining({ pattern: '30 2 * * *', tz: 'Asia/Shanghai' })]);
      await queue.close();

      expect((await h.callbacks.sendContactChange(h.fake.directory.removeMember('grid-wang'))).status).toBe(200);
      await waitFor('the callback to remove grid-wang', async () => (await h.org.user('grid-wang')) === null);

      // A restart rebuilds from the last snapshot, not from DISTRICT_CONFIG's people, and reads nothing from WeChat Work.
      const calls = h.fake.callLog('/cgi-bin/user/get').length;
      await h.restart();
      expect(await h.org.user('grid-li')).toBeNull();
      expect(await h.org.user('grid-wang')).toBeNull();
      expect(await h.org.user('grid-zhang')).toMatchObject({ roles: ['grid_member'], gridId: 'nongji-1' });
      expect(h.fake.callLog('/cgi-bin/user/get')).toHaveLength(calls);
    } finally {
      await h.stop();
    }
  });
});
