import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from '../../config';
import { createLogger } from '../../infra/logger';
import { startApp, type StartedApp } from '../../app/startApp';
import { startRedisSentinel, type RunningRedisSentinel } from '../../scripts/services/redisSentinel';
import { testMongoUri, uniqueSuffix } from '../support/isolation';
import { waitFor } from '../support/wait';

/** Production through Redis Sentinel by configuration alone (REDIS_SENTINELS): the sentinel, not REDIS_URL's host, says where the master is. */
describe('the whole app through Redis Sentinel (REDIS_SENTINELS)', () => {
  let sentinel: RunningRedisSentinel;
  let app: StartedApp | undefined;

  beforeAll(async () => {
    sentinel = await startRedisSentinel({ dir: join(process.env.WHISTLEBOT_TEST_DATA_DIR ?? tmpdir(), `redis-sentinel-${uniqueSuffix()}`), masterName: 'city' });
    const env = loadEnv({
      MONGODB_URI: testMongoUri('redis_sentinel'),
      // A host that does not exist: only the sentinel can lead the app to the master.
      REDIS_URL: 'redis://no-such-redis-host.invalid:6379',
      REDIS_SENTINELS: sentinel.sentinels.map((n) => `${n.host}:${n.port}`).join(','),
      REDIS_SENTINEL_MASTER: 'city',
      PORT: '0',
      ROLE: 'all',
      LOG_LEVEL: 'silent',
    });
    app = await startApp(env, createLogger({ level: 'silent' }), {});
  }, 60_000);
  afterAll(async () => {
    expect(await app?.runtime.stop()).toBe(true);
    await sentinel?.stop();
  });

  it('answers /readyz and takes a grid member\'s report through the queues to a confirmation card', async () => {
    const { runtime, sandbox } = app ?? {};
    if (!runtime || !sandbox) throw new Error('the app is not in sandbox mode');
    expect(runtime.env.QUEUE_PREFIX).toBe('whistlebot');
    expect((await fetch(`${runtime.url}/readyz`)).status).toBe(200);
    const sent = await fetch(`${runtime.url}/sandbox/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: 'grid-zhang', text: '文明大街与农机路交叉口路面塌陷，很危险' }),
    });
    expect(await sent.json()).toEqual({ delivered: true, status: 200 });
    await waitFor('the bot\'s answer to the reporter', () => sandbox.fake.inbox.user('grid-zhang').some((m) => m.body.msgtype === 'template_card'), 30_000);
    expect(await runtime.redis.keys('whistlebot:*')).not.toEqual([]);
  });
});
