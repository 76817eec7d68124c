import { composeApp } from '../../../app/compose';
import { startRuntime, type Runtime } from '../../../app/runtime';
import { loadEnv } from '../../../config';
import { createLogger } from '../../../infra/logger';
import { Open311Repository } from '../../../store/open311Repository';
import { testMongoUri, testPrefix, testRedisUrl } from '../../support/isolation';

/** The app as `npm start` composes it (web role): Open311 opens with OPEN311_CONFIG and stays closed without. */
describe('Open311 inside the composed app', () => {
  const runtimes: Runtime[] = [];
  const start = async (label: string, extra: Record<string, string>) => {
    const env = loadEnv({ MONGODB_URI: testMongoUri(label), REDIS_URL: testRedisUrl(), QUEUE_PREFIX: testPrefix(label), PORT: '0', HOST: '127.0.0.1', ROLE: 'web',
      WECOM_CORP_ID: 'ww-test', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 'test-secret', WECOM_TOKEN: 'test-token', WECOM_ENCODING_AES_KEY: 'a'.repeat(43), WECOM_API_BASE: 'http://127.0.0.1:9', ...extra });
    const runtime = await startRuntime(env, createLogger({ level: 'silent' }), composeApp(env));
    runtimes.push(runtime);
    return runtime;
  };
  afterAll(async () => {
    for (const runtime of runtimes) {
      await runtime.mongo.dropDatabase();
      await runtime.stop();
    }
  });

  it('files a form-encoded request in the demo district and lists the demo services', async () => {
    const runtime = await start('open311_wiring', { OPEN311_CONFIG: 'config/open311.json' });
    const services = (await (await fetch(`${runtime.url}/open311/v2/services.json`)).json()) as { service_code: string }[];
    expect(services.map((s) => s.service_code)).toContain('road');
    const apiKey = await new Open311Repository(runtime.mongo).issueKey('demo-app', 'Demo app');
    const body = new URLSearchParams({ api_key: apiKey, service_code: 'road', address_string: '农机路3号', description: '农机路3号路面塌陷，车辆通行危险' });
    const filed = await fetch(`${runtime.url}/open311/v2/requests.json`, { method: 'POST', body });
    expect(filed.status).toBe(201);
    const [receipt] = (await filed.json()) as { service_request_id: string }[];
    const status = (await (await fetch(`${runtime.url}/open311/v2/requests/${receipt!.service_request_id}.json`)).json()) as Record<string, unknown>[];
    expect(status[0]).toMatchObject({ status: 'open', agency_responsible: '住建局', service_code: 'road' });
  });

  it('is closed without OPEN311_CONFIG', async () => {
    const runtime = await start('open311_closed', {});
    expect((await fetch(`${runtime.url}/open311/v2/services.json`)).status).toBe(404);
  });
});
