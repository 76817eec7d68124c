import { loadEnv } from '../../config';
import { assertLoopback, sandboxCredentials, startSandbox } from '../../app/sandbox';

describe('sandbox mode', () => {
  const base = { MONGODB_URI: 'mongodb://127.0.0.1:1/x', REDIS_URL: 'redis://127.0.0.1:1' };

  it('invents credentials that pass the same validation as real ones', () => {
    const credentials = sandboxCredentials();
    const env = loadEnv({
      ...base,
      WECOM_CORP_ID: credentials.corpId,
      WECOM_AGENT_ID: String(credentials.agentId),
      WECOM_SECRET: credentials.secret,
      WECOM_TOKEN: credentials.token,
      WECOM_ENCODING_AES_KEY: credentials.encodingAesKey,
    });
    expect(env.WECOM_ENCODING_AES_KEY).toHaveLength(43);
  });

  it('points every WeChat Work call at the in-process fake on loopback, even when WECOM_API_BASE names a real host', async () => {
    const raw = { ...base, WECOM_API_BASE: 'https://qyapi.weixin.qq.com' };
    const sandbox = await startSandbox(loadEnv(raw), raw);
    try {
      expect(new URL(sandbox.env.WECOM_API_BASE).hostname).toBe('127.0.0.1');
      expect(sandbox.env.WECOM_API_BASE).toBe(sandbox.fake.baseUrl);
      expect(sandbox.env.SLA_CONFIG).toBe('config/sla.sandbox.json');
      // Residents' logins go to the fake mini-program server, never to api.weixin.qq.com.
      expect(sandbox.env.MP_API_BASE).toBe(sandbox.mp?.url);
      expect(new URL(sandbox.env.MP_API_BASE).hostname).toBe('127.0.0.1');
      const token = await fetch(`${sandbox.env.WECOM_API_BASE}/cgi-bin/gettoken?corpid=${sandbox.env.WECOM_CORP_ID}&corpsecret=${sandbox.env.WECOM_SECRET}`);
      expect(await token.json()).toMatchObject({ errcode: 0 });
    } finally {
      await sandbox.closeable.close();
    }
  });

  it('keeps an explicitly chosen deadline policy', async () => {
    const raw = { ...base, SLA_CONFIG: 'config/sla.json' };
    const sandbox = await startSandbox(loadEnv(raw), raw);
    await sandbox.closeable.close();
    expect(sandbox.env.SLA_CONFIG).toBe('config/sla.json');
  });

  it('refuses any API base that is not this machine', () => {
    expect(() => assertLoopback('https://qyapi.weixin.qq.com', 'WECOM_API_BASE')).toThrow(/must not reach a real host/);
    expect(() => assertLoopback('http://10.0.0.5:8080', 'WECOM_API_BASE')).toThrow();
    expect(() => assertLoopback('http://127.0.0.1:4000', 'WECOM_API_BASE')).not.toThrow();
  });
});
