import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeDirectory } from './directory';
import { FailurePlan, type FailureKind, type FailureRule } from './failures';
import { Inbox, type InboxMessage } from './inbox';
import { parseMultipart } from './multipart';
import { approvalPage, errorPage } from './oauthPages';

/**
 * A fake WeChat Work server speaking real HTTP with WeChat Work's request and answer shapes, for
 * tests and sandbox mode. Documented errcodes are used where they exist (40014/42001 tokens, 45009
 * rate limit, 40007 media id, 86003 unknown chat, 93000 bad webhook key, 81013 nobody valid); input
 * validation failures the docs do not pin down answer 40035 "invalid parameter".
 */

export interface FakeWecomServerOptions {
  corpId?: string;
  secret?: string;
  /** The 通讯录同步 secret: its tokens alone may read the directory (department/list, user/list_id, user/get). */
  directorySecret?: string;
  agentId?: number;
  tokenTtlSeconds?: number;
  /** When set, message/send treats other user ids as invalid (invaliduser) and does not deliver to them. */
  knownUsers?: string[];
  /** When set, only these group robot keys are accepted. */
  webhookKeys?: string[];
  /**
   * When set, each group robot accepts at most `perWindow` messages in any `windowMs` and answers
   * 45009 beyond, as WeChat Work does (20 a minute). Off by default so load tests measure our side.
   */
  webhookLimit?: { perWindow: number; windowMs: number };
  /**
   * When set, message/send delivers to one member at most `perWindow` messages in any `windowMs`, for
   * every window at once (WeChat Work: 30 a minute and 1,000 an hour per member from one app), and
   * beyond that drops the member silently, answering ok, as WeChat Work does; `memberDrops()` tells.
   * Off by default so load tests measure our side.
   */
  memberLimit?: { perWindow: number; windowMs: number }[];
  /** Offered on the fake 网页授权 / 扫码登录 pages (anyone may still be typed). */
  loginMembers?: string[];
}

export interface RecordedCall {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, or for multipart uploads the fields and file descriptions; undefined for GET. */
  body: unknown;
  at: Date;
  /** What the fake did: answered (with errcode), failed with an HTTP status, hung, or did the work and then hung (answer-lost). */
  outcome: { kind: 'answered'; errcode: number } | { kind: 'http-error'; status: number } | { kind: 'hang' } | { kind: 'answer-lost'; errcode: number } | { kind: 'pending' };
}

/** A member a message/send did not reach because of the per-member limit (WeChat Work answers ok all the same). */
export interface MemberDrop {
  userId: string;
  msgid: string;
  msgtype: string;
  at: Date;
}

export interface FakeAppChat {
  chatid: string;
  name: string;
  owner: string;
  userlist: string[];
}

export interface FakeMedia {
  data: Buffer;
  contentType: string;
  filename: string;
  type: string;
}

type Json = Record<string, unknown>;
type Reply = { kind: 'json'; body: Json } | { kind: 'raw'; status: number; headers: Record<string, string>; body: Buffer };

interface Request {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  raw: Buffer;
  call: RecordedCall;
}

const TOKENLESS = new Set(['/cgi-bin/gettoken', '/cgi-bin/webhook/send', '/__fake/state']);
const INTERACTIVE_CARDS = new Set(['button_interaction', 'multiple_interaction', 'vote_interaction']);
const APP_MSGTYPES = new Set(['text', 'markdown', 'image', 'voice', 'video', 'file', 'textcard', 'news', 'mpnews', 'template_card']);
const APPCHAT_MSGTYPES = new Set(['text', 'markdown', 'image', 'voice', 'video', 'file', 'textcard', 'news', 'mpnews']);
const MEDIA_TYPES = new Set(['image', 'voice', 'video', 'file']);

function ok(extra: Json = {}): Reply {
  return { kind: 'json', body: { errcode: 0, errmsg: 'ok', ...extra } };
}

function fail(errcode: number, errmsg: string): Reply {
  return { kind: 'json', body: { errcode, errmsg } };
}

function id(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function splitIds(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? value.split('|') : [];
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

/** Why a message body is unacceptable, or undefined when it is fine. */
function contentProblem(body: Json, allowed: Set<string>): string | undefined {
  const msgtype = body.msgtype;
  if (typeof msgtype !== 'string' || !allowed.has(msgtype)) return `invalid msgtype ${JSON.stringify(msgtype)}`;
  const content = body[msgtype];
  if (!isObject(content)) return `missing ${msgtype} object`;
  if ((msgtype === 'text' || msgtype === 'markdown') && (typeof content.content !== 'string' || content.content === '')) return `${msgtype}.content is empty`;
  if (msgtype === 'image' && typeof content.media_id !== 'string') return 'image.media_id is missing';
  if (msgtype === 'template_card') return cardProblem(content);
  return undefined;
}

function cardProblem(card: Json): string | undefined {
  const type = card.card_type;
  if (type === 'text_notice') return isObject(card.card_action) ? undefined : 'text_notice needs card_action';
  if (type === 'button_interaction') {
    if (typeof card.task_id !== 'string') return 'button_interaction needs task_id';
    return Array.isArray(card.button_list) && card.button_list.length > 0 ? undefined : 'button_interaction needs button_list';
  }
  if (type === 'multiple_interaction') {
    if (typeof card.task_id !== 'string') return 'multiple_interaction needs task_id';
    if (!Array.isArray(card.select_list) || card.select_list.length === 0) return 'multiple_interaction needs select_list';
    return isObject(card.submit_button) ? undefined : 'multiple_interaction needs submit_button';
  }
  if (type === 'news_notice' || type === 'vote_interaction') return undefined;
  return `invalid card_type ${JSON.stringify(type)}`;
}

export class FakeWecomServer {
  readonly corpId: string;
  readonly secret: string;
  readonly agentId: number;
  readonly directorySecret: string;
  readonly inbox = new Inbox();
  /** Departments and members the directory APIs answer from; tests change it. */
  readonly directory = new FakeDirectory();
  private readonly directoryTokens = new Set<string>();
  private readonly tokenTtlSeconds: number;
  private readonly failures = new FailurePlan();
  /** Path → the most a call there waits before it is handled (`jitter`). */
  private readonly latency = new Map<string, number>();
  private readonly tokens = new Map<string, number>();
  private readonly calls: RecordedCall[] = [];
  private readonly robotSends = new Map<string, number[]>();
  private readonly memberSends = new Map<string, number[]>();
  private readonly drops: MemberDrop[] = [];
  private readonly chats = new Map<string, FakeAppChat>();
  private readonly mediaStore = new Map<string, FakeMedia>();
  private readonly responseCodes = new Map<string, { msgid: string; used: boolean }>();
  private readonly oauthCodes = new Map<string, { userId: string; expiresAt: number; used: boolean }>();
  private expireAfter: { remaining: number; path?: string } | undefined;
  private server: Server | undefined;
  private url: string | undefined;
  private seq = 0;

  constructor(private readonly options: FakeWecomServerOptions = {}) {
    this.corpId = options.corpId ?? 'wwfakecorp';
    this.secret = options.secret ?? 'fake-secret';
    this.directorySecret = options.directorySecret ?? 'fake-directory-secret';
    this.agentId = options.agentId ?? 1000002;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 7200;
  }

  /** Starts listening on 127.0.0.1 (a free port by default) and returns the base URL to use as WECOM_API_BASE. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    if (this.url) return this.url;
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake WeChat Work crashed: ${String(error)}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.url = `http://${host}:${address.port}`;
    return this.url;
  }

  get baseUrl(): string {
    if (!this.url) throw new Error('FakeWecomServer is not listening; call listen() first.');
    return this.url;
  }

  /** Stops the server, dropping hung requests. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.url = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** What a WecomApiClient needs to talk to this fake (sandbox mode wiring). */
  credentials(): { baseUrl: string; corpId: string; secret: string; agentId: number } {
    return { baseUrl: this.baseUrl, corpId: this.corpId, secret: this.secret, agentId: this.agentId };
  }

  // ---- observation -------------------------------------------------------------------------

  /** The WECOM_* variables of an app that calls this fake and takes callbacks signed with `callback`'s token and key. */
  appEnv(callback: { token: string; encodingAesKey: string }): Record<string, string> {
    return {
      WECOM_API_BASE: this.baseUrl,
      WECOM_CORP_ID: this.corpId,
      WECOM_AGENT_ID: String(this.agentId),
      WECOM_SECRET: this.secret,
      WECOM_TOKEN: callback.token,
      WECOM_ENCODING_AES_KEY: callback.encodingAesKey,
    };
  }

  /** Every call received, oldest first; optionally only those to one path. */
  callLog(path?: string): RecordedCall[] {
    return path === undefined ? [...this.calls] : this.calls.filter((c) => c.path === path);
  }

  /** App messages dropped for members over their limit (`memberLimit`), oldest first. */
  memberDrops(): MemberDrop[] {
    return [...this.drops];
  }

  appChat(chatId: string): FakeAppChat | undefined {
    return this.chats.get(chatId);
  }

  /** A group chat that exists before the app starts (an administrator made it, or an earlier run did). */
  addAppChat(chat: Omit<FakeAppChat, 'owner'> & { owner?: string }): void {
    this.chats.set(chat.chatid, { owner: chat.userlist[0] ?? '', ...chat });
  }

  media(mediaId: string): FakeMedia | undefined {
    return this.mediaStore.get(mediaId);
  }

  /** JSON-friendly state for the sandbox console (also served at GET /__fake/state). */
  snapshot(): { inbox: Record<string, InboxMessage[]>; chats: FakeAppChat[]; calls: number; pendingFailures: FailureRule[] } {
    return { inbox: this.inbox.snapshot(), chats: [...this.chats.values()], calls: this.calls.length, pendingFailures: this.failures.pending() };
  }

  // ---- failure injection -------------------------------------------------------------------

  /**
   * The next `count` calls (to `path`, or to any path) fail: errcode 45009 (or any errcode), HTTP 5xx, or no answer at all.
   * With `skip`, that many calls succeed first: `{ path: '/cgi-bin/user/get', skip: 2 }` fails the 3rd user/get.
   */
  failNext(kind: FailureKind, count: number, options: { path?: string; errcode?: number; status?: number; skip?: number } = {}): void {
    this.failures.add({ kind, remaining: count, ...options });
  }

  clearFailures(): void {
    this.failures.clear();
    this.expireAfter = undefined;
    this.latency.clear();
  }

  /**
   * Calls to `path` take a random 0–`maxMs` before the fake handles them (and delivers what they send),
   * as WeChat Work's answers vary: sends made side by side then arrive in any order. 0 turns it off.
   */
  jitter(path: string, maxMs: number): void {
    if (maxMs > 0) this.latency.set(path, maxMs);
    else this.latency.delete(path);
  }

  /** Every token issued so far is now expired (42001 on next use). */
  expireAllTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  /** Expires all tokens right after `successfulCalls` more successful token-authenticated calls (to `path`, if given). */
  expireTokensAfter(successfulCalls: number, path?: string): void {
    this.expireAfter = path === undefined ? { remaining: successfulCalls } : { remaining: successfulCalls, path };
  }

  // ---- seeding -----------------------------------------------------------------------------

  /** Stores media as if a member had sent it to the app; returns its media_id. */
  putMedia(media: { data: Buffer; contentType: string; filename: string; type?: string }): string {
    const mediaId = `fake_media_${id(16)}`;
    this.mediaStore.set(mediaId, { type: media.type ?? 'image', ...media });
    return mediaId;
  }

  /** A fresh response_code for a delivered card, as a tap callback would carry it. */
  issueResponseCode(msgid: string): string {
    if (!this.inbox.message(msgid)) throw new Error(`No delivered message ${msgid}`);
    const code = `fake_rc_${id(16)}`;
    this.responseCodes.set(code, { msgid, used: false });
    return code;
  }

  /**
   * A login code for `userId`, as 网页授权 or 扫码登录 would redirect with after the member approved;
   * valid for five minutes and once, like WeChat Work's.
   */
  issueOAuthCode(userId: string): string {
    const code = `fake_oauth_${id(16)}`;
    this.oauthCodes.set(code, { userId, expiresAt: Date.now() + 5 * 60_000, used: false });
    return code;
  }

  /** Forgets calls, deliveries, chats, media, tokens and armed failures. */
  reset(): void {
    this.calls.length = 0;
    this.inbox.clear();
    this.chats.clear();
    this.mediaStore.clear();
    this.responseCodes.clear();
    this.oauthCodes.clear();
    this.tokens.clear();
    this.directoryTokens.clear();
    this.robotSends.clear();
    this.memberSends.clear();
    this.drops.length = 0;
    this.clearFailures();
  }

  // ---- HTTP --------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: Request = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      raw: Buffer.concat(chunks),
      call: { seq: ++this.seq, method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body: undefined, at: new Date(), outcome: { kind: 'pending' } },
    };
    this.calls.push(request.call);
    request.call.body = this.describeBody(request);

    const latency = this.latency.get(request.path);
    if (latency !== undefined) await new Promise((resolve) => setTimeout(resolve, Math.random() * latency));
    const failure = request.path === '/__fake/state' ? undefined : this.failures.take(request.path);
    if (failure?.kind === 'hang') {
      request.call.outcome = { kind: 'hang' };
      return; // never answer; close() drops the socket
    }
    if (failure?.kind === 'server-error') {
      const status = failure.status ?? 502;
      request.call.outcome = { kind: 'http-error', status };
      res.writeHead(status, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
      return;
    }
    if (failure?.kind === 'answer-lost') {
      const done = this.route(request);
      request.call.outcome = { kind: 'answer-lost', errcode: done.kind === 'json' && typeof done.body.errcode === 'number' ? done.body.errcode : 0 };
      return; // the work is done (a message delivered) but no answer ever comes; close() drops the socket
    }
    const reply = failure ? this.injected(failure) : this.route(request);
    if (reply.kind === 'raw') {
      request.call.outcome = { kind: 'answered', errcode: 0 };
      res.writeHead(reply.status, reply.headers).end(reply.body);
      return;
    }
    const errcode = typeof reply.body.errcode === 'number' ? reply.body.errcode : 0;
    request.call.outcome = { kind: 'answered', errcode };
    if (errcode === 0 && !TOKENLESS.has(request.path)) this.countTowardsExpiry(request.path);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply.body));
  }

  private injected(failure: FailureRule): Reply {
    if (failure.kind === 'rate-limit') return fail(failure.errcode ?? 45009, 'api freq out of limit');
    return fail(failure.errcode ?? -1, 'injected failure');
  }

  private describeBody(request: Request): unknown {
    if (request.raw.length === 0) return undefined;
    const contentType = request.headers['content-type'] ?? '';
    if (contentType.startsWith('multipart/form-data')) {
      const parts = parseMultipart(request.raw, contentType) ?? [];
      return { parts: parts.map((p) => ({ name: p.name, filename: p.filename, contentType: p.contentType, size: p.data.length })) };
    }
    try {
      return JSON.parse(request.raw.toString('utf8')) as unknown;
    } catch {
      return request.raw.toString('utf8');
    }
  }

  private countTowardsExpiry(path: string): void {
    const rule = this.expireAfter;
    if (!rule || (rule.path !== undefined && rule.path !== path)) return;
    rule.remaining -= 1;
    if (rule.remaining <= 0) {
      this.expireAfter = undefined;
      this.expireAllTokens();
    }
  }

  private route(request: Request): Reply {
    if (request.path === '/__fake/state') return { kind: 'raw', status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(this.snapshot())) };
    if (request.path === '/cgi-bin/gettoken') return this.getToken(request);
    if (request.path === '/cgi-bin/webhook/send') return this.webhookSend(request);
    if (request.path === '/connect/oauth2/authorize') return this.oauthPage(request, 'oauth');
    if (request.path === '/wwlogin/sso/login') return this.oauthPage(request, 'sso');
    if (request.path === '/__fake/oauth/approve') return this.oauthApprove(request);
    const tokenProblem = this.checkToken(request.query.access_token);
    if (tokenProblem) return tokenProblem;
    if (request.path === '/cgi-bin/media/upload') return this.mediaUpload(request);
    if (request.path === '/cgi-bin/media/get') return this.mediaGet(request);
    if (request.path === '/cgi-bin/appchat/get') return this.appChatGet(request);
    if (request.path === '/cgi-bin/auth/getuserinfo') return this.oauthUserInfo(request);
    if (request.path === '/cgi-bin/department/list' || request.path === '/cgi-bin/user/get' || request.path === '/cgi-bin/user/list_id') return this.directoryCall(request);
    let body: unknown;
    try {
      body = JSON.parse(request.raw.toString('utf8'));
    } catch {
      return fail(47001, 'data format error, Warning: wrong json format.');
    }
    if (!isObject(body)) return fail(47001, 'data format error');
    switch (request.path) {
      case '/cgi-bin/message/send':
        return this.messageSend(body);
      case '/cgi-bin/message/update_template_card':
        return this.updateCard(body);
      case '/cgi-bin/appchat/create':
        return this.appChatCreate(body);
      case '/cgi-bin/appchat/send':
        return this.appChatSend(body);
      default:
        return { kind: 'raw', status: 404, headers: { 'content-type': 'text/plain' }, body: Buffer.from(`fake WeChat Work has no ${request.path}`) };
    }
  }

  private html(status: number, body: string): Reply {
    return { kind: 'raw', status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from(body) };
  }

  /** 网页授权 (oauth2/authorize, snsapi_base) and 扫码登录 (wwlogin/sso/login): the member picks who they are. */
  private oauthPage(request: Request, flow: 'oauth' | 'sso'): Reply {
    const q = request.query;
    if (q.appid !== this.corpId) return this.html(400, errorPage(`appid 不是本企业的 CorpID（${q.appid ?? '未提供'}）`));
    if (flow === 'oauth' && q.response_type !== 'code') return this.html(400, errorPage('response_type 必须为 code'));
    if (flow === 'oauth' && q.scope !== 'snsapi_base' && q.scope !== 'snsapi_privateinfo') return this.html(400, errorPage('scope 必须为 snsapi_base 或 snsapi_privateinfo'));
    if (flow === 'sso' && q.login_type !== 'CorpApp') return this.html(400, errorPage('login_type 必须为 CorpApp'));
    if (flow === 'sso' && q.agentid !== String(this.agentId)) return this.html(400, errorPage('agentid 不是本应用的 AgentId'));
    if (!q.redirect_uri || !/^https?:\/\//.test(q.redirect_uri)) return this.html(400, errorPage('redirect_uri 缺失或不是 http(s) 地址'));
    return this.html(200, approvalPage({
      flow,
      title: flow === 'oauth' ? '企业微信网页授权（模拟）' : '企业微信扫码登录（模拟）',
      explanation: flow === 'oauth' ? '在企业微信客户端内打开时，企业微信会直接确认当前成员；这里请填写成员 userid。' : '真实环境中请用企业微信扫码；这里请填写在手机上确认登录的成员 userid。',
      redirectUri: q.redirect_uri,
      state: q.state ?? '',
      members: this.options.loginMembers ?? this.options.knownUsers ?? [],
    }));
  }

  private oauthApprove(request: Request): Reply {
    const form = new URLSearchParams(request.raw.toString('utf8'));
    const userId = form.get('userid')?.trim();
    const redirectUri = form.get('redirect_uri') ?? '';
    if (request.method !== 'POST' || !userId || !/^https?:\/\//.test(redirectUri)) return this.html(400, errorPage('请填写成员 userid'));
    const target = new URL(redirectUri);
    target.searchParams.set('code', this.issueOAuthCode(userId));
    target.searchParams.set('state', form.get('state') ?? '');
    return { kind: 'raw', status: 302, headers: { location: target.toString(), 'content-type': 'text/plain' }, body: Buffer.from('redirecting') };
  }

  /** auth/getuserinfo: a member's userid for a login code; a non-member gets an openid only. */
  private oauthUserInfo(request: Request): Reply {
    const entry = this.oauthCodes.get(request.query.code ?? '');
    if (!entry || entry.used || entry.expiresAt <= Date.now()) return fail(40029, 'invalid code');
    entry.used = true;
    const known = this.options.knownUsers;
    if (known && !known.includes(entry.userId)) return ok({ openid: `fake_openid_${id(8)}` });
    return ok({ userid: entry.userId, user_ticket: `fake_ticket_${id(12)}`, expires_in: 1800 });
  }

  private getToken(request: Request): Reply {
    if (request.query.corpid !== this.corpId) return fail(40013, 'invalid corpid');
    const directory = request.query.corpsecret === this.directorySecret;
    if (request.query.corpsecret !== this.secret && !directory) return fail(40001, 'invalid credential');
    const token = `fake_at_${id(24)}`;
    this.tokens.set(token, Date.now() + this.tokenTtlSeconds * 1000);
    if (directory) this.directoryTokens.add(token);
    return ok({ access_token: token, expires_in: this.tokenTtlSeconds });
  }

  private checkToken(token: string | undefined): Reply | undefined {
    if (!token) return fail(41001, 'access_token missing');
    const expiresAt = this.tokens.get(token);
    if (expiresAt === undefined) return fail(40014, 'invalid access_token');
    if (expiresAt <= Date.now()) return fail(42001, 'access_token expired');
    return undefined;
  }

  /** The directory answers tokens of the directory secret only (48002 api forbidden otherwise). */
  private directoryCall(request: Request): Reply {
    if (!this.directoryTokens.has(request.query.access_token ?? '')) return fail(48002, 'api forbidden: use the access_token of the directory (通讯录同步) secret');
    if (request.path === '/cgi-bin/department/list') {
      const root = request.query.id === undefined || request.query.id === '' ? undefined : Number(request.query.id);
      const all = this.directory.departmentList();
      if (root === undefined) return ok({ department: all });
      if (!all.some((d) => d.id === root)) return fail(60123, 'invalid party id');
      const within = new Set([root]);
      let size = 0;
      while (within.size !== size) {
        size = within.size;
        for (const d of all) if (within.has(d.parentid)) within.add(d.id);
      }
      return ok({ department: all.filter((d) => within.has(d.id)) });
    }
    if (request.path === '/cgi-bin/user/get') {
      const member = this.directory.member(request.query.userid ?? '');
      return member ? ok({ ...member }) : fail(60111, 'userid not found');
    }
    if (request.method !== 'POST') return fail(40035, 'user/list_id is a POST');
    let body: unknown;
    try {
      body = JSON.parse(request.raw.toString('utf8') || '{}');
    } catch {
      return fail(47001, 'data format error');
    }
    if (!isObject(body)) return fail(47001, 'data format error');
    const limit = body.limit === undefined ? 1000 : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10000) return fail(40035, 'limit must be 1-10000');
    const start = typeof body.cursor === 'string' && body.cursor !== '' ? Number(Buffer.from(body.cursor, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(start) || start < 0) return fail(40035, 'invalid cursor');
    const rows = this.directory.memberRows();
    const page = rows.slice(start, start + limit);
    const next = start + limit < rows.length ? Buffer.from(String(start + limit)).toString('base64url') : '';
    return ok({ next_cursor: next, dept_user: page });
  }

  private checkAgent(body: Json): Reply | undefined {
    return body.agentid === this.agentId ? undefined : fail(40056, `invalid agentid ${JSON.stringify(body.agentid)}`);
  }

  private messageSend(body: Json): Reply {
    const problem = this.checkAgent(body) ?? (contentProblem(body, APP_MSGTYPES) === undefined ? undefined : fail(40035, contentProblem(body, APP_MSGTYPES) ?? ''));
    if (problem) return problem;
    const users = splitIds(body.touser);
    const parties = splitIds(body.toparty);
    const tags = splitIds(body.totag);
    if (users.length + parties.length + tags.length === 0) return fail(40035, 'touser, toparty and totag are all empty');
    const known = this.options.knownUsers;
    const validUsers = known ? users.filter((u) => known.includes(u)) : users;
    const invalidUsers = users.filter((u) => !validUsers.includes(u));
    if (validUsers.length + parties.length + tags.length === 0) return fail(81013, 'user & party & tag all invalid');
    const msgtype = String(body.msgtype);
    const card = isObject(body.template_card) ? body.template_card : undefined;
    const interactive = card !== undefined && (INTERACTIVE_CARDS.has(String(card.card_type)) || isObject(card.action_menu));
    const message: InboxMessage = { msgid: id(), channel: 'app', msgtype, body, at: new Date(), updates: [] };
    const reached = validUsers.filter((userId) => {
      if (this.memberMayReceive(body.agentid, userId)) return true;
      this.drops.push({ userId, msgid: message.msgid, msgtype, at: message.at });
      return false;
    });
    if (interactive) {
      message.responseCode = `fake_rc_${id(16)}`;
      this.responseCodes.set(message.responseCode, { msgid: message.msgid, used: false });
    }
    this.inbox.deliver(message, [...reached.map((u) => `user:${u}`), ...parties.map((p) => `party:${p}`), ...tags.map((t) => `tag:${t}`)]);
    const answer: Json = { invaliduser: invalidUsers.join('|'), invalidparty: '', invalidtag: '', unlicenseduser: '', msgid: message.msgid };
    if (message.responseCode) answer.response_code = message.responseCode;
    return ok(answer);
  }

  private updateCard(body: Json): Reply {
    const problem = this.checkAgent(body);
    if (problem) return problem;
    const code = typeof body.response_code === 'string' ? this.responseCodes.get(body.response_code) : undefined;
    if (!code || code.used) return fail(40035, 'invalid response_code: unknown or already used');
    const message = this.inbox.message(code.msgid);
    if (!message) return fail(40035, 'invalid response_code');
    const hasButton = isObject(body.button) && typeof body.button.replace_name === 'string';
    const newCard = isObject(body.template_card) ? body.template_card : undefined;
    if (!hasButton && !newCard) return fail(40035, 'need button.replace_name or template_card');
    if (newCard) {
      const cardIssue = cardProblem(newCard);
      if (cardIssue) return fail(40035, cardIssue);
    }
    const userIds = stringArray(body.userids);
    const target: 'all' | string[] | undefined = body.atall === 1 ? 'all' : userIds;
    if (target === undefined || (Array.isArray(target) && target.length === 0)) return fail(40035, 'need userids (or partyids/tagids) or atall=1');
    code.used = true;
    message.updates.push({ at: new Date(), for: target, body });
    return ok({ invaliduser: [] });
  }

  private appChatCreate(body: Json): Reply {
    const userlist = stringArray(body.userlist);
    if (!userlist || userlist.length < 2 || userlist.length > 2000) return fail(86006, 'invalid chat member count');
    const chatid = body.chatid === undefined ? id(12).replace(/[^A-Za-z0-9]/g, 'x') : body.chatid;
    if (typeof chatid !== 'string' || !/^[A-Za-z0-9]{1,32}$/.test(chatid)) return fail(86001, 'invalid chatid');
    if (this.chats.has(chatid)) return fail(86001, 'chatid already exists');
    const owner = typeof body.owner === 'string' ? body.owner : userlist[0] ?? '';
    this.chats.set(chatid, { chatid, name: typeof body.name === 'string' ? body.name : '', owner, userlist });
    return ok({ chatid });
  }

  private appChatGet(request: Request): Reply {
    const chat = this.chats.get(request.query.chatid ?? '');
    return chat ? ok({ chat_info: chat }) : fail(86003, 'chat not exists');
  }

  private appChatSend(body: Json): Reply {
    if (typeof body.chatid !== 'string' || !this.chats.has(body.chatid)) return fail(86003, 'chat not exists');
    const problem = contentProblem(body, APPCHAT_MSGTYPES);
    if (problem) return fail(40035, problem);
    this.inbox.deliver({ msgid: id(), channel: 'appchat', msgtype: String(body.msgtype), body, at: new Date(), updates: [] }, [`appchat:${body.chatid}`]);
    return ok();
  }

  private webhookSend(request: Request): Reply {
    const key = request.query.key;
    const allowed = this.options.webhookKeys;
    if (!key || (allowed && !allowed.includes(key))) return fail(93000, 'invalid webhook url');
    let body: unknown;
    try {
      body = JSON.parse(request.raw.toString('utf8'));
    } catch {
      return fail(47001, 'data format error');
    }
    if (!isObject(body)) return fail(47001, 'data format error');
    const problem = contentProblem(body, new Set(['text', 'markdown', 'image', 'news', 'file', 'template_card']));
    if (problem) return fail(40035, problem);
    if (!this.robotMaySend(key)) return fail(45009, 'api freq out of limit');
    this.inbox.deliver({ msgid: id(), channel: 'webhook', msgtype: String(body.msgtype), body, at: new Date(), updates: [] }, [`webhook:${key}`]);
    return ok();
  }

  private robotMaySend(key: string): boolean {
    const limit = this.options.webhookLimit;
    if (!limit) return true;
    const now = Date.now();
    const recent = (this.robotSends.get(key) ?? []).filter((at) => at > now - limit.windowMs);
    const allowed = recent.length < limit.perWindow;
    if (allowed) recent.push(now);
    this.robotSends.set(key, recent);
    return allowed;
  }

  private memberMayReceive(agentId: unknown, userId: string): boolean {
    const windows = this.options.memberLimit;
    if (!windows || windows.length === 0) return true;
    const key = `${String(agentId)}:${userId}`;
    const now = Date.now();
    const longest = Math.max(...windows.map((w) => w.windowMs));
    const recent = (this.memberSends.get(key) ?? []).filter((at) => at > now - longest);
    const allowed = windows.every((w) => recent.filter((at) => at > now - w.windowMs).length < w.perWindow);
    if (allowed) recent.push(now);
    this.memberSends.set(key, recent);
    return allowed;
  }

  private mediaUpload(request: Request): Reply {
    const type = request.query.type ?? '';
    if (!MEDIA_TYPES.has(type)) return fail(40005, 'invalid media type');
    const parts = parseMultipart(request.raw, request.headers['content-type'] ?? '');
    const media = parts?.find((p) => p.name === 'media');
    if (!media) return fail(40004, 'invalid media data: no form-data part named "media"');
    if (media.data.length <= 5) return fail(40006, 'invalid file size: must be larger than 5 bytes');
    const mediaId = this.putMedia({ data: media.data, contentType: media.contentType ?? 'application/octet-stream', filename: media.filename ?? 'media', type });
    return { kind: 'json', body: { errcode: 0, errmsg: '', type, media_id: mediaId, created_at: String(Math.floor(Date.now() / 1000)) } };
  }

  private mediaGet(request: Request): Reply {
    const mediaId = request.query.media_id;
    if (!mediaId) return fail(41006, 'media_id missing');
    const media = this.mediaStore.get(mediaId);
    if (!media) return fail(40007, 'invalid media_id');
    return {
      kind: 'raw',
      status: 200,
      headers: { 'content-type': media.contentType, 'content-disposition': `attachment; filename="${encodeURIComponent(media.filename)}"`, 'content-length': String(media.data.length) },
      body: media.data,
    };
  }
}
