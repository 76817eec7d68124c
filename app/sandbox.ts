import { randomBytes } from 'node:crypto';
import type { Env } from '../config';
import { loadDistrictSeed } from '../config/district';
import { FakeWechatMpServer } from '../fakes/wechat-mp/server';
import { FakeWecomServer } from '../fakes/wecom/server';
import type { Closeable } from './closeables';

/** Credentials invented for one sandbox run; they only open the in-process fake WeChat Work server. */
export interface SandboxCredentials {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  encodingAesKey: string;
}

export function sandboxCredentials(): SandboxCredentials {
  return {
    corpId: `wwsandbox${randomBytes(4).toString('hex')}`,
    agentId: 1000002,
    secret: randomBytes(24).toString('base64url'),
    token: randomBytes(12).toString('hex'),
    // 32 random bytes in base64 are 43 characters plus one "=", which WeChat Work leaves off.
    encodingAesKey: randomBytes(32).toString('base64').slice(0, 43),
  };
}

export interface Sandbox {
  fake: FakeWecomServer;
  /** The fake WeChat mini-program server, so residents' login works too; absent when MP_APP_ID was set. */
  mp?: FakeWechatMpServer;
  credentials: SandboxCredentials;
  /** The environment the app runs with: every WeChat Work call goes to the fake. */
  env: Env;
  closeable: Closeable;
}

const SANDBOX_SLA_CONFIG = 'config/sla.sandbox.json';
const SANDBOX_CONVERSATION_CONFIG = 'config/conversation.sandbox.json';
const SANDBOX_OPEN311_CONFIG = 'config/open311.json';

/** Refuses to run a sandbox whose API base is anything but this machine. */
export function assertLoopback(url: string, name: string): void {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`sandbox mode must not reach a real host, but ${name} is ${url}`);
  }
}

/**
 * Sandbox mode (no WECOM_CORP_ID): starts the fake WeChat Work server in this process, invents
 * credentials for it and points every WeChat Work call at it; short demo time limits and chat
 * windows unless SLA_CONFIG / CONVERSATION_CONFIG were chosen explicitly. Unless MP_APP_ID is set,
 * a fake WeChat mini-program server answers residents' logins too.
 */
export async function startSandbox(env: Env, rawEnv: Record<string, string | undefined> = process.env): Promise<Sandbox> {
  const credentials = sandboxCredentials();
  // Group robots refuse beyond 20 messages a minute, and members silently miss app messages beyond 30
  // a minute and 1,000 an hour, as with WeChat Work; the outbox paces below both.
  const fake = new FakeWecomServer({
    corpId: credentials.corpId,
    secret: credentials.secret,
    agentId: credentials.agentId,
    webhookLimit: { perWindow: 20, windowMs: 60_000 },
    memberLimit: [
      { perWindow: 30, windowMs: 60_000 },
      { perWindow: 1_000, windowMs: 3_600_000 },
    ],
    loginMembers: loadDistrictSeed(env.DISTRICT_CONFIG).users.map((u) => u.userId),
  });
  const baseUrl = await fake.listen(0, '127.0.0.1');
  assertLoopback(baseUrl, 'WECOM_API_BASE');
  const mp = rawEnv.MP_APP_ID ? undefined : new FakeWechatMpServer({ appId: `wxsandbox${randomBytes(4).toString('hex')}`, appSecret: randomBytes(16).toString('hex') });
  if (mp) assertLoopback(await mp.start(), 'MP_API_BASE');
  const sandboxEnv: Env = {
    ...env,
    WECOM_CORP_ID: credentials.corpId,
    WECOM_AGENT_ID: credentials.agentId,
    WECOM_SECRET: credentials.secret,
    WECOM_TOKEN: credentials.token,
    WECOM_ENCODING_AES_KEY: credentials.encodingAesKey,
    WECOM_API_BASE: baseUrl,
    WECOM_OAUTH_BASE: baseUrl,
    WECOM_SSO_BASE: baseUrl,
    ...mp?.credentials(),
    SLA_CONFIG: rawEnv.SLA_CONFIG ? env.SLA_CONFIG : SANDBOX_SLA_CONFIG,
    CONVERSATION_CONFIG: rawEnv.CONVERSATION_CONFIG ? env.CONVERSATION_CONFIG : SANDBOX_CONVERSATION_CONFIG,
    // The demo's Open311 jurisdictions name the demo district's street.
    ...(env.OPEN311_CONFIG === undefined && !rawEnv.DISTRICT_CONFIG && { OPEN311_CONFIG: SANDBOX_OPEN311_CONFIG }),
  };
  const close = async () => {
    await Promise.all([fake.close(), mp?.stop()]);
  };
  return { fake, ...(mp && { mp }), credentials, env: sandboxEnv, closeable: { name: 'sandbox fake WeChat Work and mini-program servers', close } };
}
