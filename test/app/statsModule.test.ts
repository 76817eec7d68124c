import { TestApp } from '../support/testApp';

/** The statistics API as the composition root mounts it on the web role. */
describe('statsModule', () => {
  const h = new TestApp('stats_module', { role: 'web', env: { STATS_API_TOKEN: 'module-token' } });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('serves the stats API behind STATS_API_TOKEN', async () => {
    expect((await fetch(`${h.url}/api/stats/departments`)).status).toBe(401);
    const response = await fetch(`${h.url}/api/stats/departments?from=2026-01-01&to=2026-12-31&street=wenming`, { headers: { authorization: 'Bearer module-token' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ period: { street: 'wenming' }, departments: [] });
  });
});
