import type { RedisClient } from '../../infra/redis';
import type { Env } from '../../config/env';
import type { Logger } from '../../infra/logger';
import { TOKEN_REJECTED_ERRCODES, WecomHttpError, WecomNotConfiguredError, WecomTokenRejectedError, wecomErrorFor } from './apiErrors';
import { buildUrl, fetchWithTimeout, readEnvelope, type QueryParams, type WecomEnvelope } from './apiHttp';
import type { UpdateTemplateCardBody } from './cards';
import type { AppChatCreateBody, AppChatMessageBody, AppMessageBody, WebhookContent } from './messages';
import { TokenCache, type IssuedToken } from './tokenCache';

export interface WecomApiClientOptions {
  /** WECOM_API_BASE: the public host, a private deployment, or the fake server. */
  baseUrl: string;
  corpId: string;
  secret: string;
  agentId: number;
  redis: RedisClient;
  /** Prefix of the Redis keys holding the shared token (e.g. QUEUE_PREFIX). */
  keyPrefix: string;
  timeoutMs?: number;
  tokenRefreshMarginMs?: number;
  logger?: Logger;
  /** Redis key of the shared token; default per corp and app. Another secret (the directory's) needs its own key. */
  tokenKey?: string;
}

export interface SendResult {
  msgid?: string;
  /** Lets us update an interactive card once, within 72 hours. */
  responseCode?: string;
  invalidUser?: string;
  invalidParty?: string;
  invalidTag?: string;
  unlicensedUser?: string;
}

export type MediaType = 'image' | 'voice' | 'video' | 'file';

export interface UploadedMedia {
  mediaId: string;
  type: string;
  createdAt: number;
}

export interface DownloadedMedia {
  data: Buffer;
  contentType: string;
  filename?: string;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; errcode: number; errmsg: string };

function optionalString(envelope: WecomEnvelope, field: string): string | undefined {
  const value = envelope[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function requireString(envelope: WecomEnvelope, field: string, path: string): string {
  const value = envelope[field];
  if (typeof value !== 'string' || value === '') throw new WecomHttpError(path, 200, `answer has no ${field}`);
  return value;
}

function filenameFrom(disposition: string | null): string | undefined {
  const match = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/**
 * The WeChat Work server API. Every call goes to `baseUrl`; the access token comes from the
 * Redis-shared TokenCache and is replaced once, then the call retried, when WeChat Work rejects it.
 */
export class WecomApiClient {
  private readonly tokens: TokenCache;
  private readonly timeoutMs: number;

  constructor(private readonly options: WecomApiClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.tokens = new TokenCache({
      redis: options.redis,
      key: options.tokenKey ?? `${options.keyPrefix}:wecom:access-token:${options.corpId}:${options.agentId}`,
      fetchToken: () => this.fetchToken(),
      lockTtlMs: this.timeoutMs + 5_000,
      ...(options.tokenRefreshMarginMs === undefined ? {} : { refreshMarginMs: options.tokenRefreshMarginMs }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  static fromEnv(env: Env, redis: RedisClient, logger?: Logger): WecomApiClient {
    const missing = [
      env.WECOM_CORP_ID ? undefined : 'WECOM_CORP_ID',
      env.WECOM_SECRET ? undefined : 'WECOM_SECRET',
      env.WECOM_AGENT_ID ? undefined : 'WECOM_AGENT_ID',
    ].filter((k): k is string => k !== undefined);
    if (!env.WECOM_CORP_ID || !env.WECOM_SECRET || !env.WECOM_AGENT_ID) throw new WecomNotConfiguredError(missing);
    return new WecomApiClient({
      baseUrl: env.WECOM_API_BASE,
      corpId: env.WECOM_CORP_ID,
      secret: env.WECOM_SECRET,
      agentId: env.WECOM_AGENT_ID,
      redis,
      keyPrefix: env.QUEUE_PREFIX,
      ...(logger ? { logger } : {}),
    });
  }

  get agentId(): number {
    return this.options.agentId;
  }

  getAccessToken(): Promise<string> {
    return this.tokens.get();
  }

  async sendMessage(body: AppMessageBody): Promise<SendResult> {
    const envelope = await this.postJson('/cgi-bin/message/send', { ...body, agentid: body.agentid ?? this.options.agentId });
    const result: SendResult = {};
    const fields = [
      ['msgid', 'msgid'],
      ['responseCode', 'response_code'],
      ['invalidUser', 'invaliduser'],
      ['invalidParty', 'invalidparty'],
      ['invalidTag', 'invalidtag'],
      ['unlicensedUser', 'unlicenseduser'],
    ] as const;
    for (const [ours, theirs] of fields) {
      const value = optionalString(envelope, theirs);
      if (value !== undefined) result[ours] = value;
    }
    return result;
  }

  async createAppChat(body: AppChatCreateBody): Promise<{ chatId: string }> {
    const path = '/cgi-bin/appchat/create';
    const envelope = await this.postJson(path, body);
    return { chatId: requireString(envelope, 'chatid', path) };
  }

  async sendAppChat(body: AppChatMessageBody): Promise<void> {
    await this.postJson('/cgi-bin/appchat/send', body);
  }

  async updateTemplateCard(body: UpdateTemplateCardBody): Promise<{ invalidUser: string[] }> {
    const envelope = await this.postJson('/cgi-bin/message/update_template_card', { ...body, agentid: body.agentid ?? this.options.agentId });
    const invalid = envelope.invaliduser;
    return { invalidUser: Array.isArray(invalid) ? invalid.filter((u): u is string => typeof u === 'string') : [] };
  }

  /** Group robot webhook: authenticated by its key, not by our access token. */
  async sendWebhook(key: string, body: WebhookContent): Promise<void> {
    const path = '/cgi-bin/webhook/send';
    const response = await fetchWithTimeout(
      buildUrl(this.options.baseUrl, path, { key }),
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      path,
      this.timeoutMs,
    );
    const envelope = await readEnvelope(response, path);
    const errcode = envelope.errcode ?? 0;
    if (errcode !== 0) throw wecomErrorFor(path, errcode, envelope.errmsg ?? '');
  }

  async uploadMedia(type: MediaType, file: { data: Buffer; filename: string; contentType: string }): Promise<UploadedMedia> {
    const path = '/cgi-bin/media/upload';
    const envelope = await this.authorized(path, async (token) => {
      const form = new FormData();
      form.append('media', new Blob([file.data], { type: file.contentType }), file.filename);
      const response = await fetchWithTimeout(buildUrl(this.options.baseUrl, path, { access_token: token, type }), { method: 'POST', body: form }, path, this.timeoutMs);
      return this.outcome(await readEnvelope(response, path));
    });
    const createdAt = Number(envelope.created_at);
    return { mediaId: requireString(envelope, 'media_id', path), type: optionalString(envelope, 'type') ?? type, createdAt: Number.isFinite(createdAt) ? createdAt : 0 };
  }

  /** Temporary media (3 days) such as a photo a grid member sent us. Errors come back as JSON, files as bytes. */
  async getMedia(mediaId: string): Promise<DownloadedMedia> {
    const path = '/cgi-bin/media/get';
    return this.authorized(path, async (token): Promise<Outcome<DownloadedMedia>> => {
      const response = await fetchWithTimeout(buildUrl(this.options.baseUrl, path, { access_token: token, media_id: mediaId }), { method: 'GET' }, path, this.timeoutMs);
      const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
      if (!response.ok || /json|text\/plain/i.test(contentType)) {
        const outcome = this.outcome(await readEnvelope(response, path));
        if (outcome.ok) throw new WecomHttpError(path, response.status, 'expected the media bytes, got a JSON answer without an error');
        return outcome;
      }
      const filename = filenameFrom(response.headers.get('content-disposition'));
      const data = Buffer.from(await response.arrayBuffer());
      return { ok: true, value: filename === undefined ? { data, contentType } : { data, contentType, filename } };
    });
  }

  /**
   * Who a 网页授权 / 扫码登录 code belongs to (auth/getuserinfo): a member's userid, or for someone
   * outside the corp only an openid. A used, expired or made-up code is errcode 40029.
   */
  async loginIdentity(code: string): Promise<{ userId: string } | { openid: string }> {
    const path = '/cgi-bin/auth/getuserinfo';
    const envelope = await this.getJson(path, { code });
    const userId = optionalString(envelope, 'userid') ?? optionalString(envelope, 'UserId');
    if (userId !== undefined) return { userId };
    return { openid: optionalString(envelope, 'openid') ?? '' };
  }

  private async fetchToken(): Promise<IssuedToken> {
    const path = '/cgi-bin/gettoken';
    const response = await fetchWithTimeout(
      buildUrl(this.options.baseUrl, path, { corpid: this.options.corpId, corpsecret: this.options.secret }),
      { method: 'GET' },
      path,
      this.timeoutMs,
    );
    const envelope = await readEnvelope(response, path);
    const errcode = envelope.errcode ?? 0;
    if (errcode !== 0) throw wecomErrorFor(path, errcode, envelope.errmsg ?? '');
    const expiresIn = Number(envelope.expires_in);
    return { accessToken: requireString(envelope, 'access_token', path), expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 7200 };
  }

  /** A token-authenticated GET answering JSON; a non-zero errcode is thrown as a named error. */
  getJson(path: string, query: QueryParams = {}): Promise<WecomEnvelope> {
    return this.authorized(path, async (token) => {
      const response = await fetchWithTimeout(buildUrl(this.options.baseUrl, path, { ...query, access_token: token }), { method: 'GET' }, path, this.timeoutMs);
      return this.outcome(await readEnvelope(response, path));
    });
  }

  /** A token-authenticated JSON POST; a non-zero errcode is thrown as a named error. */
  postJson(path: string, body: object, query: QueryParams = {}): Promise<WecomEnvelope> {
    return this.authorized(path, async (token) => {
      const response = await fetchWithTimeout(
        buildUrl(this.options.baseUrl, path, { ...query, access_token: token }),
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        path,
        this.timeoutMs,
      );
      return this.outcome(await readEnvelope(response, path));
    });
  }

  /** Token rejections become a retry signal; any other non-zero errcode is thrown as a named error. */
  private outcome(envelope: WecomEnvelope): Outcome<WecomEnvelope> {
    const errcode = envelope.errcode ?? 0;
    if (errcode === 0) return { ok: true, value: envelope };
    return { ok: false, errcode, errmsg: envelope.errmsg ?? '' };
  }

  private async authorized<T>(path: string, run: (token: string) => Promise<Outcome<T>>): Promise<T> {
    const token = await this.tokens.get();
    const first = await run(token);
    if (first.ok) return first.value;
    if (!TOKEN_REJECTED_ERRCODES.has(first.errcode)) throw wecomErrorFor(path, first.errcode, first.errmsg);
    this.options.logger?.info({ path, errcode: first.errcode }, 'wecom rejected the access token; refreshing and retrying once');
    const second = await run(await this.tokens.replaceRejected(token));
    if (second.ok) return second.value;
    if (TOKEN_REJECTED_ERRCODES.has(second.errcode)) throw new WecomTokenRejectedError(path, second.errcode, second.errmsg);
    throw wecomErrorFor(path, second.errcode, second.errmsg);
  }
}
