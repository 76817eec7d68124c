import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeApp } from '../../app/compose';
import { startRuntime, type Runtime } from '../../app/runtime';
import { loadEnv } from '../../config';
import { createLogger } from '../../infra/logger';
import { testMongoUri, testPrefix, testRedisUrl } from '../support/isolation';

/** The app as `npm start` composes it (web role) serves the mini-program API (WeChat not configured: login says so). */
describe('mini-program module inside the composed app', () => {
  const mediaDir = mkdtempSync(join(tmpdir(), 'mp-wiring-'));
  let runtime: Runtime;
  beforeAll(async () => {
    const env = loadEnv({ MONGODB_URI: testMongoUri('mp_wiring'), REDIS_URL: testRedisUrl(), QUEUE_PREFIX: testPrefix('mp_wiring'), PORT: '0', HOST: '127.0.0.1', ROLE: 'web', MEDIA_DIR: mediaDir,
      // A WeCom corp (never called here) so the gateway starts outside sandbox mode.
      WECOM_CORP_ID: 'ww-test', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 'test-secret', WECOM_TOKEN: 'test-token',
      WECOM_ENCODING_AES_KEY: 'a'.repeat(43), WECOM_API_BASE: 'http://127.0.0.1:9' });
    runtime = await startRuntime(env, createLogger({ level: 'silent' }), composeApp(env));
  });
  afterAll(async () => {
    await runtime?.stop();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  it('serves the config, the OpenAPI document and a clear 503 for login without MP_APP_ID', async () => {
    const config = await fetch(`${runtime.url}/api/mp/config`);
    expect(config.status).toBe(200);
    expect(await config.json()).toMatchObject({ communities: expect.arrayContaining([expect.objectContaining({ id: 'nongji', name: '农机社区' })]) });
    expect((await fetch(`${runtime.url}/api/mp/openapi.json`)).status).toBe(200);
    const login = await fetch(`${runtime.url}/api/mp/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'x' }) });
    expect(login.status).toBe(503);
    expect(await login.json()).toMatchObject({ error: { code: 'not_configured', message: '小程序服务尚未开通，请联系管理员' } });
  });
});
