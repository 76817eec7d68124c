import type { Connection } from 'mongoose';
import type { MpModule, ResidentNotices } from '../../../../app/mpModule';
import { reporterActor } from '../../../../commands/actors';
import type { LifecycleDeps } from '../../../../commands/deps';
import { runCaseCommand } from '../../../../commands/runCaseCommand';
import type { Env } from '../../../../config';
import { loadMpConfig, type MpConfig } from '../../../../config/mp';
import { FakeWechatMpServer } from '../../../../fakes/wechat-mp/server';
import { createLogger, type Logger } from '../../../../infra/logger';
import type { RedisClient } from '../../../../infra/redis';
import type { Actor, Case, CaseCommand, CommandResult } from '../../../../src/cases';
import type { DecodeQueue } from '../../../../web/mp/decodeQueue';
import { TestApp } from '../../../support/testApp';

export const APP_ID = 'wx-test-app';
export const APP_SECRET = 'test-app-secret';
export const TEMPLATES = { accepted: 'tmpl-accepted', done: 'tmpl-done', closed: 'tmpl-closed' } as const;

/** The shipped config/mp.json with test-sized photo limits, fast retries and test template ids. */
export function testMpConfig(overrides: (config: MpConfig) => MpConfig = (c) => c): MpConfig {
  const base = loadMpConfig();
  return overrides({
    ...base,
    photos: { ...base.photos, maxCount: 3, maxBytes: 200 * 1024 },
    subscribe: {
      ...base.subscribe,
      attempts: 4,
      backoffMs: 50,
      templates: {
        accepted: { templateId: TEMPLATES.accepted, fields: { character_string1: 'caseNumber', thing2: 'category', phrase3: 'status', time4: 'time', thing5: 'tip' } },
        done: { templateId: TEMPLATES.done, fields: { character_string1: 'caseNumber', thing2: 'departments', phrase3: 'status' } },
        closed: { templateId: TEMPLATES.closed, fields: { character_string1: 'caseNumber', phrase3: 'status', thing5: 'tip' } },
      },
    },
  });
}

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
}

/**
 * The composed app (TestApp) as the mini-program's tests drive it: MP_CONFIG of the test's choice,
 * the fake WeChat server for login and subscribe messages (MP_APP_ID, MP_API_BASE), and request
 * helpers. With `workers: false` it runs the web role only.
 */
export class MpApp {
  readonly wechat = new FakeWechatMpServer({ appId: APP_ID, appSecret: APP_SECRET });
  readonly config: MpConfig;
  app!: TestApp;

  constructor(
    private readonly label: string,
    config?: MpConfig,
    private readonly logger: Logger = createLogger({ level: 'silent' }),
  ) {
    this.config = config ?? testMpConfig();
  }

  get url(): string {
    return this.app.url;
  }

  get env(): Env {
    return this.app.env;
  }

  get mongo(): Connection {
    return this.app.mongo;
  }

  get redis(): RedisClient {
    return this.app.runtime.redis;
  }

  get mediaDir(): string {
    return this.app.mediaDir;
  }

  get deps(): LifecycleDeps {
    return this.app.lifecycle.deps;
  }

  /** The mini-program module of the composed app. */
  get module(): MpModule {
    const module = this.app.modules.find((m): m is MpModule => 'residents' in m);
    if (!module) throw new Error('the composed app has no mini-program module');
    return module;
  }

  /** The residents' milestone messages, as the lifecycle sends them. */
  get notices(): ResidentNotices {
    return this.module.residents;
  }

  /** `decodeQueue` replaces the photo decode queue (e.g. one a test can hold shut). */
  async start(options: { workers?: boolean; decodeQueue?: DecodeQueue } = {}): Promise<this> {
    await this.wechat.start();
    this.app = new TestApp(this.label, {
      ...(options.workers === false && { role: 'web' as const }),
      ...(options.decodeQueue && { decodeQueue: options.decodeQueue }),
      logger: this.logger,
      publicBaseUrlIsOwn: true,
      env: this.wechat.credentials(),
      configFiles: { MP_CONFIG: this.config },
    });
    await this.app.start();
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.stop();
    await this.wechat.stop();
  }

  async request<T = Record<string, unknown>>(method: string, path: string, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | FormData | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      body = options.form;
    }
    const response = await fetch(`${this.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const type = response.headers.get('content-type') ?? '';
    const parsed: unknown = type.includes('json') ? await response.json() : response.status === 204 ? {} : { raw: Buffer.from(await response.arrayBuffer()) };
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  /** wx.login on a phone, then our login: a fresh session token for this openid. */
  async login(openid: string): Promise<string> {
    const answer = await this.request<{ token: string }>('POST', '/api/mp/session', { json: { code: this.wechat.issueLoginCode(openid) } });
    if (answer.status !== 201) throw new Error(`login failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.token;
  }

  /** A staff member acts on a case through the same lifecycle commands WeCom taps use. */
  act(caseId: string, actor: Actor, command: CaseCommand): Promise<CommandResult> {
    return runCaseCommand(this.deps, { id: caseId }, command, { actor, channel: 'wecom', now: new Date() });
  }

  reporter(openid: string): Actor {
    return reporterActor(openid);
  }

  case(id: string): Promise<Case> {
    return this.app.case(id);
  }

  async waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** The community grid member who accepts, handles and verifies community-level resident cases in the demo district. */
export const GRID_WORKER: Actor = { userId: 'grid-nongji-1', name: '网格员小李', role: 'grid', communityId: 'nongji' };
