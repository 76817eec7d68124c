import { TestApp } from '../support/testApp';

/** The app as `npm start` composes it (web role) serves the mini-program API (WeChat not configured: login says so). */
describe('mini-program module inside the composed app', () => {
  const h = new TestApp('mp_wiring', { role: 'web' });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('serves the config, the OpenAPI document and a clear 503 for login without MP_APP_ID', async () => {
    const config = await fetch(`${h.url}/api/mp/config`);
    expect(config.status).toBe(200);
    expect(await config.json()).toMatchObject({ communities: expect.arrayContaining([expect.objectContaining({ id: 'nongji', name: '农机社区' })]) });
    expect((await fetch(`${h.url}/api/mp/openapi.json`)).status).toBe(200);
    const login = await fetch(`${h.url}/api/mp/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'x' }) });
    expect(login.status).toBe(503);
    expect(await login.json()).toMatchObject({ error: { code: 'not_configured', message: '小程序服务尚未开通，请联系管理员' } });
  });
});
