import { composeApp } from '../../../app/compose';
import { startRuntime, type Runtime } from '../../../app/runtime';
import { loadEnv } from '../../../config';
import { createLogger } from '../../../infra/logger';
import { testMongoUri, testPrefix, testRedisUrl } from '../../support/isolation';

/** The app as `npm start` composes it (web role) serves the hotline API behind HOTLINE_API_TOKEN. */
describe('hotline API inside the composed app', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    const env = loadEnv({ MONGODB_URI: testMongoUri('hotline_wiring'), REDIS_URL: testRedisUrl(), QUEUE_PREFIX: testPrefix('hotline_wiring'), PORT: '0', HOST: '127.0.0.1', ROLE: 'web',
      HOTLINE_API_TOKEN: 'wired-token',
      // A WeCom corp (never called here) so the gateway starts outside sandbox mode.
      WECOM_CORP_ID: 'ww-test', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 'test-secret', WECOM_TOKEN: 'test-token',
      WECOM_ENCODING_AES_KEY: 'a'.repeat(43), WECOM_API_BASE: 'http://127.0.0.1:9' });
    runtime = await startRuntime(env, createLogger({ level: 'silent' }), composeApp(env));
  });
  afterAll(async () => {
    await runtime?.mongo.dropDatabase();
    await runtime?.stop();
  });

  it('takes an order without streetId in the single-street demo district', async () => {
    const post = (token: string) =>
      fetch(`${runtime.url}/api/hotline/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ orderNo: 'W-1', content: '农机路3号路面塌陷，车辆通行危险', address: '农机路3号', category: 'road' }),
      });
    expect((await post('wrong')).status).toBe(401);
    const created = await post('wired-token');
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ outcome: 'whistled', departments: [{ code: 'zhujian', role: 'lead' }] });
    const status = await fetch(`${runtime.url}/api/hotline/orders/W-1`, { headers: { authorization: 'Bearer wired-token' } });
    expect(await status.json()).toMatchObject({ orderNo: 'W-1', state: 'whistled' });
  });
});
