import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSubscribeMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state?: string;
  lang?: string;
}

export interface FakeWechatMpOptions {
  appId: string;
  appSecret: string;
  tokenTtlSeconds?: number;
}

interface Failure { remaining: number; errcode?: number; httpStatus?: number }

type Json = Record<string, unknown>;

/**
 * The WeChat mini-program server API as far as whistlebot uses it (jscode2session, cgi-bin/token,
 * subscribeMessage.send), over real HTTP. Tests issue login codes, arm failures and read what was sent.
 */
export class FakeWechatMpServer {
  readonly sent: FakeSubscribeMessage[] = [];
  /** Every call, by path, so tests can count token fetches or send attempts. */
  readonly calls: string[] = [];
  private readonly codes = new Map<string, { openid: string; used: boolean }>();
  private readonly tokens = new Set<string>();
  private readonly failures = new Map<string, Failure[]>();
  private server: Server | undefined;
  private baseUrl = '';

  constructor(private readonly options: FakeWechatMpOptions) {}

  get url(): string {
    return this.baseUrl;
  }

  /** What MP_APP_ID / MP_APP_SECRET / MP_API_BASE should be to talk to this fake (sandbox wiring). */
  credentials(): { MP_APP_ID: string; MP_APP_SECRET: string; MP_API_BASE: string } {
    return { MP_APP_ID: this.options.appId, MP_APP_SECRET: this.options.appSecret, MP_API_BASE: this.baseUrl };
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** What wx.login would hand the mini-program for this user: a single-use code. */
  issueLoginCode(openid: string): string {
    const code = `code-${randomBytes(8).toString('hex')}`;
    this.codes.set(code, { openid, used: false });
    return code;
  }

  /** Forgets every issued access token, as if they had all expired. */
  expireAccessTokens(): void {
    this.tokens.clear();
  }

  /**
   * The next `count` calls to `path` fail: with a WeChat errcode, or with an HTTP status when
   * `httpStatus` is given. Calls queue up: failNext(p, 1, busy) then failNext(p, 1, 502) fails twice, in that order.
   */
  failNext(path: string, count: number, failure: { errcode?: number; httpStatus?: number } = { errcode: -1 }): void {
    this.failures.set(path, [...(this.failures.get(path) ?? []), { remaining: count, ...failure }]);
  }

  callsTo(path: string): number {
    return this.calls.filter((p) => p === path).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    this.calls.push(url.pathname);
    const failure = this.takeFailure(url.pathname);
    if (failure?.httpStatus) return send(res, failure.httpStatus, { message: 'fake failure' });
    if (failure) return send(res, 200, { errcode: failure.errcode ?? -1, errmsg: 'fake failure' });
    switch (url.pathname) {
      case '/sns/jscode2session':
        return send(res, 200, this.code2Session(url.searchParams));
      case '/cgi-bin/token':
        return send(res, 200, this.token(url.searchParams));
      case '/cgi-bin/message/subscribe/send':
        return send(res, 200, this.subscribeSend(url.searchParams, body));
      default:
        return send(res, 404, { errcode: 404, errmsg: `fake WeChat server has no ${url.pathname}` });
    }
  }

  private takeFailure(path: string): Failure | undefined {
    const queue = this.failures.get(path) ?? [];
    const failure = queue[0];
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining <= 0) queue.shift();
    return failure;
  }

  private credentialsOk(query: URLSearchParams): Json | undefined {
    if (query.get('appid') !== this.options.appId) return { errcode: 40013, errmsg: 'invalid appid' };
    if (query.get('secret') !== this.options.appSecret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    return undefined;
  }

  private code2Session(query: URLSearchParams): Json {
    const bad = this.credentialsOk(query);
    if (bad) return bad;
    if (query.get('grant_type') !== 'authorization_code') return { errcode: 40002, errmsg: 'invalid grant_type' };
    const entry = this.codes.get(query.get('js_code') ?? '');
    if (!entry) return { errcode: 40029, errmsg: 'invalid code' };
    if (entry.used) return { errcode: 40163, errmsg: 'code been used' };
    entry.used = true;
    return { openid: entry.openid, session_key: randomBytes(16).toString('base64') };
  }

  private token(query: URLSearchParams): Json {
    const bad = this.credentialsOk(query);
    if (bad) return bad;
    if (query.get('grant_type') !== 'client_credential') return { errcode: 40002, errmsg: 'invalid grant_type' };
    const token = `mp-token-${randomBytes(8).toString('hex')}`;
    this.tokens.add(token);
    return { access_token: token, expires_in: this.options.tokenTtlSeconds ?? 7200 };
  }

  private subscribeSend(query: URLSearchParams, body: string): Json {
    if (!this.tokens.has(query.get('access_token') ?? '')) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch {
      return { errcode: 47001, errmsg: 'data format error' };
    }
    if (!isSubscribeMessage(message)) return { errcode: 47003, errmsg: 'argument invalid: touser, template_id and data are required' };
    this.sent.push(message);
    return { errcode: 0, errmsg: 'ok' };
  }
}

function isSubscribeMessage(value: unknown): value is FakeSubscribeMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Json;
  return typeof v.touser === 'string' && typeof v.template_id === 'string' && typeof v.data === 'object' && v.data !== null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: Json): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
