import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startApp, type StartedApp } from '../../app/startApp';
import { loadEnv } from '../../config';
import { consoleLogin } from '../../fakes/wecom/consoleLogin';
import { createLogger } from '../../infra/logger';
import { testMongoUri, testPrefix, testRedisUrl } from '../support/isolation';

const HOTLINE_TOKEN = 'store-notice-hotline-token';

/** The board warns the district (and nobody narrower) when the default store nears its ceiling. */
describe('the command centre names a store nearing its ceiling', () => {
  const rawEnv = {
    MONGODB_URI: testMongoUri('console-store-notice'),
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: testPrefix('store-notice'),
    PORT: '0',
    HOST: '127.0.0.1',
    MEDIA_DIR: mkdtempSync(join(tmpdir(), 'store-notice-media-')),
    HOTLINE_API_TOKEN: HOTLINE_TOKEN,
  };
  let app: StartedApp | undefined;

  afterAll(async () => {
    if (app) {
      await app.runtime.mongo.dropDatabase();
      await app.runtime.stop();
    }
  });

  async function board(userId: string): Promise<{ storeNotice?: string; open: number }> {
    const base = app!.runtime.url!;
    const cookie = await consoleLogin(base, (u) => app!.sandbox!.fake.issueOAuthCode(u), userId);
    const response = await fetch(`${base}/console/api/board`, { headers: { cookie } });
    expect(response.status).toBe(200);
    return (await response.json()) as { storeNotice?: string; open: number };
  }

  async function readinessDetails(): Promise<{ store: { level: string; ceiling: number | null; advice?: string } }> {
    const response = await fetch(`${app!.runtime.url}/readyz`);
    expect(response.status).toBe(200); // nearing the ceiling is for operators to read; it does not fail readiness
    return ((await response.json()) as { details: { store: { level: string; ceiling: number | null; advice?: string } } }).details;
  }

  it('says nothing while the store is roomy, and warns the district admin once it is near', async () => {
    app = await startApp(loadEnv(rawEnv), createLogger({ level: 'silent' }), rawEnv);
    for (const orderNo of ['S-1', 'S-2', 'S-3']) {
      const response = await fetch(`${app.runtime.url}/api/hotline/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${HOTLINE_TOKEN}` },
        body: JSON.stringify({ orderNo, streetId: 'wenming', content: '文明大街路灯不亮', address: '文明大街', category: 'street_light' }),
      });
      expect(response.status).toBe(201);
    }
    expect((await board('district-admin')).storeNotice).toBeUndefined();
    const roomy = (await readinessDetails()).store;
    expect(roomy.level).toBe('ok');
    expect(roomy.advice).toBeUndefined();
    await app.runtime.stop();

    // The same store, a service rated for 3 cases: measured at start, it is at 100%.
    const tight = { ...rawEnv, STORE_CASE_CEILING: '3' };
    const logged: Array<{ level: number; msg: string }> = [];
    const logSink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line) as { level: number; msg: string });
        done();
      },
    });
    app = await startApp(loadEnv(tight), pino({ level: 'warn' }, logSink), tight);
    const warning = logged.find((entry) => entry.msg.startsWith('store capacity:'));
    expect(warning?.level).toBe(40);
    expect(warning?.msg).toContain('store:migrate');
    const near = (await readinessDetails()).store;
    expect(near.level).not.toBe('ok');
    expect(near.ceiling).toBe(3);
    expect(near.advice).toContain('npm run store:migrate');
    const admin = await board('district-admin');
    expect(admin.storeNotice).toContain('已超过默认数据库额定容量 3 件的 100%');
    expect(admin.storeNotice).toContain('npm run store:migrate');
    expect((await board('dispatcher-wenming')).storeNotice).toBeUndefined();
  }, 120_000);
});
