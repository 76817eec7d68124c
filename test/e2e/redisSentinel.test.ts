import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from '../../config';
import { createLogger } from '../../infra/logger';
import { startApp, type StartedApp } from '../../app/startApp';
import { startRedisSentinel, type RunningRedisSentinel } from '../../scripts/services/redisSentinel';
import { testMongoUri, uniqueSuffix } from '../support/isolation';
import { reportThroughSandbox } from '../support/sandboxReport';

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
    expect(app?.runtime.env.QUEUE_PREFIX).toBe('whistlebot');
    expect((await fetch(`${app?.runtime.url}/readyz`)).status).toBe(200);
    const runtime = await reportThroughSandbox(app);
    expect(await runtime.redis.keys('whistlebot:*')).not.toEqual([]);
  });
});
