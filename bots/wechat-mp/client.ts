import type { RedisClient } from '../../infra/redis';
import type { Env } from '../../config/env';
import type { Logger } from '../../infra/logger';
import { TokenCache, type IssuedToken } from '../wecom/tokenCache';
import { MP_TOKEN_REJECTED_ERRCODES, WechatMpApiError, WechatMpNotConfiguredError, WechatMpTransportError } from './errors';
import { callMp, checked, mpUrl, type MpEnvelope } from './http';

export interface WechatMpClientOptions {
  /** MP_API_BASE: https://api.weixin.qq.com, or the fake server in tests and sandbox. */
  baseUrl: string;
  appId: string;
  appSecret: string;
  redis: RedisClient;
  /** Prefix of the Redis key holding the shared access token (QUEUE_PREFIX). */
  keyPrefix: string;
  timeoutMs?: number;
  logger?: Logger;
}

/** What jscode2session tells us. The session key stays on the server and is not kept: we never decrypt user data. */
export interface MpLogin {
  openid: string;
  unionid?: string;
}

export interface SubscribeMessage {
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogramState?: 'developer' | 'trial' | 'formal';
  lang?: string;
}

function requireString(envelope: MpEnvelope, field: string, path: string): string {
  const value = envelope[field];
  if (typeof value !== 'string' || value === '') throw new WechatMpTransportError(path, `answer has no ${field}`);
  return value;
}

/** The WeChat mini-program server API: login code exchange and subscribe messages. */
export class WechatMpClient {
  private readonly tokens: TokenCache;
  private readonly timeoutMs: number;

  constructor(private readonly options: WechatMpClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.tokens = new TokenCache({
      redis: options.redis,
      key: `${options.keyPrefix}:wechat-mp:access-token:${options.appId}`,
      fetchToken: () => this.fetchToken(),
      lockTtlMs: this.timeoutMs + 5_000,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  static fromEnv(env: Env, redis: RedisClient, logger?: Logger): WechatMpClient {
    if (!env.MP_APP_ID || !env.MP_APP_SECRET) {
      throw new WechatMpNotConfiguredError([env.MP_APP_ID ? undefined : 'MP_APP_ID', env.MP_APP_SECRET ? undefined : 'MP_APP_SECRET'].filter((k): k is string => !!k));
    }
    return new WechatMpClient({
      baseUrl: env.MP_API_BASE,
      appId: env.MP_APP_ID,
      appSecret: env.MP_APP_SECRET,
      redis,
      keyPrefix: env.QUEUE_PREFIX,
      ...(logger ? { logger } : {}),
    });
  }

  /** Exchanges the code from wx.login for the user's openid (auth.code2Session). */
  async code2Session(code: string): Promise<MpLogin> {
    const path = '/sns/jscode2session';
    const url = mpUrl(this.options.baseUrl, path, {
      appid: this.options.appId,
      secret: this.options.appSecret,
      js_code: code,
      grant_type: 'authorization_code',
    });
    const envelope = checked(await callMp(url, path, { method: 'GET' }, this.timeoutMs), path);
    const unionid = envelope.unionid;
    return { openid: requireString(envelope, 'openid', path), ...(typeof unionid === 'string' && unionid ? { unionid } : {}) };
  }

  /** subscribeMessage.send: one message per grant the user gave with wx.requestSubscribeMessage. */
  async sendSubscribeMessage(message: SubscribeMessage): Promise<void> {
    const path = '/cgi-bin/message/subscribe/send';
    const body = JSON.stringify({
      touser: message.touser,
      template_id: message.templateId,
      data: message.data,
      ...(message.page === undefined ? {} : { page: message.page }),
      ...(message.miniprogramState === undefined ? {} : { miniprogram_state: message.miniprogramState }),
      ...(message.lang === undefined ? {} : { lang: message.lang }),
    });
    await this.withToken(path, (token) =>
      callMp(mpUrl(this.options.baseUrl, path, { access_token: token }), path, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, this.timeoutMs),
    );
  }

  /** Calls with the shared token; when WeChat rejects it, replaces it once and calls again. */
  private async withToken(path: string, call: (token: string) => Promise<MpEnvelope>): Promise<MpEnvelope> {
    const token = await this.tokens.get();
    const first = await call(token);
    const errcode = typeof first.errcode === 'number' ? first.errcode : 0;
    if (!MP_TOKEN_REJECTED_ERRCODES.has(errcode)) return checked(first, path);
    const fresh = await this.tokens.replaceRejected(token);
    return checked(await call(fresh), path);
  }

  private async fetchToken(): Promise<IssuedToken> {
    const path = '/cgi-bin/token';
    const url = mpUrl(this.options.baseUrl, path, { grant_type: 'client_credential', appid: this.options.appId, secret: this.options.appSecret });
    const envelope = checked(await callMp(url, path, { method: 'GET' }, this.timeoutMs), path);
    const expiresIn = Number(envelope.expires_in);
    if (!Number.isFinite(expiresIn) || expiresIn <= 0) throw new WechatMpApiError(path, 0, 'answer has no valid expires_in');
    return { accessToken: requireString(envelope, 'access_token', path), expiresInSeconds: expiresIn };
  }
}
