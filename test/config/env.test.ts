import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, isSandbox, loadEnv } from '../../config';
import { SECRET_ENV_KEYS } from '../../config/env';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:1/x', REDIS_URL: 'redis://127.0.0.1:1' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('environment configuration', () => {
  it('applies defaults and runs in sandbox mode without a corp id', () => {
    const env = loadEnv(base);
    expect(env.PORT).toBe(3000);
    expect(env.WECOM_API_BASE).toBe('https://qyapi.weixin.qq.com');
    expect(env.WECOM_CALLBACK_MAX_BYTES).toBe(32 * 1024);
    expect(isSandbox(env)).toBe(true);
    expect(env.TRUST_PROXY).toBe(false);
    expect(loadEnv({ ...base, TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(problemsOf({ ...base, TRUST_PROXY: 'yes' })[0]).toMatch(/^TRUST_PROXY /);
  });

  it('names each missing or bad key', () => {
    expect(problemsOf({ REDIS_URL: base.REDIS_URL })).toEqual(['MONGODB_URI is required']);
    expect(problemsOf({ ...base, PORT: 'eighty' })[0]).toMatch(/^PORT /);
    expect(problemsOf({ ...base, REDIS_URL: 'localhost:6379' })[0]).toMatch(/^REDIS_URL must start with redis:\/\//);
  });

  it('on a Redis Cluster (REDIS_CLUSTER_NODES) takes more startup nodes and a hash-tagged key prefix', () => {
    expect(loadEnv(base).QUEUE_PREFIX).toBe('whistlebot');
    const cluster = loadEnv({ ...base, REDIS_CLUSTER_NODES: '10.0.0.2:7000,redis-3.internal:7001' });
    expect(cluster.REDIS_CLUSTER_NODES).toEqual([{ host: '10.0.0.2', port: 7000 }, { host: 'redis-3.internal', port: 7001 }]);
    expect(cluster.QUEUE_PREFIX).toBe('{whistlebot}');
    expect(loadEnv({ ...base, REDIS_CLUSTER_NODES: '10.0.0.2:7000', QUEUE_PREFIX: '{city}' }).QUEUE_PREFIX).toBe('{city}');
    expect(problemsOf({ ...base, REDIS_CLUSTER_NODES: '10.0.0.2:7000', QUEUE_PREFIX: 'city' })).toEqual(['QUEUE_PREFIX must be a hash tag on a Redis Cluster (REDIS_CLUSTER_NODES is set), e.g. {city}']);
    expect(problemsOf({ ...base, REDIS_CLUSTER_NODES: '10.0.0.2' })[0]).toMatch(/^REDIS_CLUSTER_NODES must be host:port/);
    expect(problemsOf({ ...base, QUEUE_PREFIX: '{a}b' })[0]).toMatch(/^QUEUE_PREFIX /);
  });

  it('through Redis Sentinel (REDIS_SENTINELS) takes the sentinels and the master\'s name, never with a cluster', () => {
    const env = loadEnv({ ...base, REDIS_SENTINELS: '10.0.0.5:26379,10.0.0.6:26379' });
    expect(env.REDIS_SENTINELS).toEqual([{ host: '10.0.0.5', port: 26379 }, { host: '10.0.0.6', port: 26379 }]);
    expect(env.REDIS_SENTINEL_MASTER).toBe('mymaster');
    expect(env.QUEUE_PREFIX).toBe('whistlebot');
    expect(problemsOf({ ...base, REDIS_SENTINELS: '10.0.0.5:26379', REDIS_CLUSTER_NODES: '10.0.0.2:7000', QUEUE_PREFIX: '{w}' })).toEqual(['REDIS_SENTINELS cannot be set with REDIS_CLUSTER_NODES: Redis is either a cluster or a master watched by sentinels']);
  });

  it('asks for the rest of the WeChat Work credentials once a corp id is set', () => {
    const problems = problemsOf({ ...base, WECOM_CORP_ID: 'ww123', WECOM_ENCODING_AES_KEY: 'short' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'WECOM_AGENT_ID is required when WECOM_CORP_ID is set',
        'WECOM_SECRET is required when WECOM_CORP_ID is set',
        'WECOM_TOKEN is required when WECOM_CORP_ID is set',
        expect.stringMatching(/^WECOM_ENCODING_AES_KEY must be the 43-character EncodingAESKey/),
      ]),
    );
  });

  it('reads the hotline API token, unset when empty, and keeps it out of logs', () => {
    expect(loadEnv({ ...base, HOTLINE_API_TOKEN: 'hotline-token' }).HOTLINE_API_TOKEN).toBe('hotline-token');
    expect(loadEnv({ ...base, HOTLINE_API_TOKEN: '' }).HOTLINE_API_TOKEN).toBeUndefined();
    expect(SECRET_ENV_KEYS).toContain('HOTLINE_API_TOKEN');
  });

  it('listens on loopback in sandbox mode unless HOST says otherwise, and on every interface once a corp is set', () => {
    expect(loadEnv(base).HOST).toBe('127.0.0.1');
    expect(loadEnv({ ...base, HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    const live = { ...base, WECOM_CORP_ID: 'ww1', WECOM_AGENT_ID: '1', WECOM_SECRET: 's', WECOM_TOKEN: 't', WECOM_ENCODING_AES_KEY: 'a'.repeat(43) };
    expect(loadEnv(live).HOST).toBe('0.0.0.0');
  });

  it('validates PUBLIC_BASE_URL and asks for it once the mini-program goes live', () => {
    expect(loadEnv({ ...base, PUBLIC_BASE_URL: 'https://whistle.example.gov.cn/' }).PUBLIC_BASE_URL).toBe('https://whistle.example.gov.cn');
    expect(loadEnv(base).PUBLIC_BASE_URL).toBeUndefined();
    for (const bad of ['whistle.example.gov.cn', 'ftp://x.example', 'https://x.example/?a=1', 'https://u:p@x.example']) {
      expect(problemsOf({ ...base, PUBLIC_BASE_URL: bad })[0]).toMatch(/^PUBLIC_BASE_URL /);
    }
    const live = { ...base, WECOM_CORP_ID: 'ww1', WECOM_AGENT_ID: '1', WECOM_SECRET: 's', WECOM_TOKEN: 't', WECOM_ENCODING_AES_KEY: 'a'.repeat(43), MP_APP_ID: 'wx1', MP_APP_SECRET: 'x' };
    expect(problemsOf(live)).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL is required when MP_APP_ID is set/)]);
    expect(loadEnv({ ...live, PUBLIC_BASE_URL: 'https://whistle.example.gov.cn' }).PUBLIC_BASE_URL).toBe('https://whistle.example.gov.cn');
  });

  it('treats empty values as unset', () => {
    expect(loadEnv({ ...base, PORT: '', WECOM_CORP_ID: '' }).PORT).toBe(3000);
  });
});

describe('the service entry point with bad configuration', () => {
  it('refuses to start, names the bad key and exits non-zero without touching any server', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '../../app/main.ts')], {
      env: { PATH: process.env.PATH, MONGODB_URI: 'not-a-uri', REDIS_URL: base.REDIS_URL, WECOM_SECRET: 'never-print-me' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('MONGODB_URI must start with mongodb://');
    expect(result.stderr).toContain('README.md');
    expect(result.stderr + result.stdout).not.toContain('never-print-me');
  });
});
