import { statsModule } from '../../app/statsModule';
import { CaseRepository } from '../../store/caseRepository';
import { serveModule, type ModuleServer } from '../support/moduleServer';

/** The statistics API as the composition root mounts it on the web role. */
describe('statsModule', () => {
  let served: ModuleServer;

  beforeAll(async () => {
    served = await serveModule('stats_module', (infra) => statsModule(infra, new CaseRepository(infra.mongo)), { STATS_API_TOKEN: 'module-token' });
  });
  afterAll(() => served.stop());

  it('serves the stats API behind STATS_API_TOKEN', async () => {
    expect((await fetch(`${served.url}/api/stats/departments`)).status).toBe(401);
    const response = await fetch(`${served.url}/api/stats/departments?from=2026-01-01&to=2026-12-31&street=wenming`, { headers: { authorization: 'Bearer module-token' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ period: { street: 'wenming' }, departments: [] });
  });
});
