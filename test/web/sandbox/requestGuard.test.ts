import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type StartedApp } from '../../../app/startApp';
import { loadEnv } from '../../../config';
import { createLogger } from '../../../infra/logger';
import { configuredSandboxHosts } from '../../../web/sandbox/requestGuard';
import { requestWithHost } from '../../support/rawHttp';
import { testMongoUri, testPrefix, testRedisUrl } from '../../support/isolation';

/** The sandbox console acts as any district member: only this machine's own pages may reach it. */
describe('sandbox console: loopback only, JSON only, no foreign Host or Origin', () => {
  const mediaDir = mkdtempSync(join(tmpdir(), 'sandbox-guard-'));
  const rawEnv = { MONGODB_URI: testMongoUri('sandbox_guard'), REDIS_URL: testRedisUrl(), QUEUE_PREFIX: testPrefix('sandbox_guard'), PORT: '0', ROLE: 'web', MEDIA_DIR: mediaDir, LOG_LEVEL: 'silent' };
  let app: StartedApp;
  let url: string;
  let own: string;
  beforeAll(async () => {
    app = await startApp(loadEnv(rawEnv), createLogger({ level: 'silent' }), rawEnv);
    url = app.runtime.url ?? '';
    own = new URL(url).host;
  });
  afterAll(async () => {
    await app?.runtime.stop();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  const loginCode = (headers: Record<string, string>, body = '{"resident":"guard"}') =>
    requestWithHost(url, { method: 'POST', path: '/sandbox/api/mp/login-code', headers }, body);

  it('listens on 127.0.0.1 when HOST is not set', () => {
    expect(new URL(url).hostname).toBe('127.0.0.1');
  });

  it('serves its own page and a JSON POST from it', async () => {
    expect((await requestWithHost(url, { method: 'GET', path: '/sandbox/api/people', headers: { host: own } })).status).toBe(200);
    const answer = await loginCode({ host: own, origin: `http://${own}`, 'content-type': 'application/json' });
    expect(answer).toMatchObject({ status: 201, body: { code: expect.any(String) } });
    expect((await loginCode({ host: `localhost:${new URL(url).port}`, 'content-type': 'application/json; charset=utf-8' })).status).toBe(201);
  });

  it('refuses a POST that is not JSON (a cross-site form or text/plain fetch) with 415 json_required', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expect(await loginCode({ host: own, 'content-type': type })).toMatchObject({ status: 415, body: { error: { code: 'json_required' } } });
    }
    expect(await loginCode({ host: own })).toMatchObject({ status: 415, body: { error: { code: 'json_required' } } });
  });

  it('refuses a foreign Origin with 403 sandbox_foreign_origin, for reads and writes', async () => {
    for (const origin of ['http://evil.example', 'null', `http://evil.example:${new URL(url).port}`]) {
      expect(await loginCode({ host: own, origin, 'content-type': 'application/json' })).toMatchObject({ status: 403, body: { error: { code: 'sandbox_foreign_origin' } } });
    }
    const read = await requestWithHost(url, { method: 'GET', path: '/sandbox/api/people', headers: { host: own, origin: 'https://evil.example' } });
    expect(read).toMatchObject({ status: 403, body: { error: { code: 'sandbox_foreign_origin' } } });
  });

  it('refuses a Host that is not loopback or configured (DNS rebinding) with 403 sandbox_foreign_host', async () => {
    for (const host of ['evil.example', `evil.example:${new URL(url).port}`, '10.0.0.5']) {
      const answer = await requestWithHost(url, { method: 'GET', path: '/sandbox', headers: { host } });
      expect(answer).toMatchObject({ status: 403, body: { error: { code: 'sandbox_foreign_host', message: expect.stringContaining('本机') } } });
    }
    expect(await loginCode({ host: 'evil.example', 'content-type': 'application/json' })).toMatchObject({ status: 403, body: { error: { code: 'sandbox_foreign_host' } } });
  });
});

describe('sandbox console: which other host names it answers for', () => {
  it('adds HOST when it names one and the host of PUBLIC_BASE_URL, never a wildcard address', () => {
    expect(configuredSandboxHosts({ HOST: '0.0.0.0' })).toEqual([]);
    expect(configuredSandboxHosts({ HOST: '192.168.1.20', PUBLIC_BASE_URL: 'https://demo.example.gov.cn' })).toEqual(['192.168.1.20', 'demo.example.gov.cn']);
  });
});
