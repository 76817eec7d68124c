import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisClient } from '../../../../infra/redis';
import type { Connection } from 'mongoose';
import type { Closeable } from '../../../../app/closeables';
import { mpModule, residentNotices, type ResidentNotices } from '../../../../app/mpModule';
import type { AppModule, Infrastructure } from '../../../../app/runtime';
import { reporterActor } from '../../../../commands/actors';
import { caseStoreFrom } from '../../../../commands/caseStore';
import { lifecycleConfig } from '../../../../commands/config';
import type { CaseChange, LifecycleDeps } from '../../../../commands/deps';
import { runCaseCommand } from '../../../../commands/runCaseCommand';
import { loadEnv } from '../../../../config';
import { loadDistrictSeed } from '../../../../config/district';
import { loadMpConfig, type MpConfig } from '../../../../config/mp';
import type { ResidentMilestone } from '../../../../src/cases/milestones';
import { FakeWechatMpServer } from '../../../../fakes/wechat-mp/server';
import { createLogger, type Logger } from '../../../../infra/logger';
import { createRedis } from '../../../../infra/redis';
import type { Actor, Case, CaseCommand, CommandResult } from '../../../../src/cases';
import { CaseRepository } from '../../../../store/caseRepository';
import { connectMongo } from '../../../../store/connection';
import { OrgRepository } from '../../../../store/orgRepository';
import { createWebApp } from '../../../../web/app';
import type { DecodeQueue } from '../../../../web/mp/decodeQueue';
import { testMongoUri, testPrefix, testRedisUrl } from '../../../support/isolation';

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

/** What the WeCom lifecycle notifier does for residents, without the WeCom side: one milestone per event. */
function milestonesOf(change: CaseChange): ResidentMilestone[] {
  return change.events.flatMap((e): ResidentMilestone[] => {
    if (e.type === 'accepted' && e.details.role === 'lead') return ['accepted'];
    if (e.type === 'feedback' && e.details.role === 'lead') return ['done'];
    if (e.type === 'verified') return ['closed'];
    return [];
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
 * The mini-program module on a real HTTP port, with real FerretDB and Redis, the real case
 * lifecycle (repository, routing, parser) and the fake WeChat server for login and subscribe messages.
 */
export class MpHarness {
  readonly wechat = new FakeWechatMpServer({ appId: APP_ID, appSecret: APP_SECRET });
  readonly config: MpConfig;
  url = '';
  mongo!: Connection;
  redis!: RedisClient;
  repo!: CaseRepository;
  deps!: LifecycleDeps;
  module!: AppModule;
  notices!: ResidentNotices;
  infra!: Infrastructure;
  readonly mediaDir = mkdtempSync(join(tmpdir(), 'mp-media-'));
  private server!: Server;
  private workers: Closeable[] = [];

  constructor(
    private readonly label: string,
    config?: MpConfig,
    private readonly logger: Logger = createLogger({ level: 'silent' }),
  ) {
    this.config = config ?? testMpConfig();
  }

  /** `decodeQueue` replaces the photo decode queue (e.g. one a test can hold shut). */
  async start(options: { workers?: boolean; decodeQueue?: DecodeQueue } = {}): Promise<this> {
    await this.wechat.start();
    const prefix = testPrefix(this.label);
    const env = loadEnv({
      MONGODB_URI: testMongoUri(this.label),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      MP_APP_ID: APP_ID,
      MP_APP_SECRET: APP_SECRET,
      MP_API_BASE: this.wechat.url,
      MEDIA_DIR: this.mediaDir,
      LOG_LEVEL: 'silent',
    });
    const logger = this.logger;
    this.mongo = await connectMongo(env.MONGODB_URI);
    this.redis = createRedis(env.REDIS_URL, logger);
    const org = new OrgRepository(this.mongo);
    const seed = loadDistrictSeed(env.DISTRICT_CONFIG);
    await org.loadSeed(seed);
    this.repo = new CaseRepository(this.mongo);
    await this.repo.ensureIndexes();
    this.infra = { env, logger, mongo: this.mongo, redis: this.redis, org, closeables: [], listeningUrl: () => this.url || undefined };

    const { decodeQueue } = options;
    this.notices = residentNotices(this.infra, this.config);
    const notify = this.notices.notifyResidentMilestone;
    this.deps = {
      cases: caseStoreFrom(this.repo, seed.district.id),
      org,
      notifier: {
        caseChanged: async (change) => {
          if (change.after.source !== 'resident') return;
          for (const milestone of milestonesOf(change)) await notify(change.after, milestone);
        },
        duplicateMerged: async () => undefined,
      },
      deadlines: { syncCase: async () => undefined },
      clock: () => new Date(),
      config: lifecycleConfig(),
      sideEffectFailed: ({ step, case: c, error }) => logger.error({ err: error, caseId: c.id, step }, 'side effect failed'),
    };

    const module = mpModule(this.infra, { config: this.config, lifecycle: this.deps, ...(decodeQueue ? { decodeQueue } : {}) });
    this.module = module;
    const app = createWebApp({ logger, routers: module.routers?.() ?? [] });
    this.server = createServer(app.callback());
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    if (options.workers !== false) this.workers = (await module.startWorkers?.()) ?? [];
    return this;
  }

  async stop(): Promise<void> {
    for (const w of this.workers.reverse()) await w.close().catch(() => undefined);
    for (const c of this.infra?.closeables.reverse() ?? []) await c.close().catch(() => undefined);
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.mongo?.dropDatabase().catch(() => undefined);
    await this.mongo?.close().catch(() => undefined);
    this.redis?.disconnect();
    await this.wechat.stop();
    rmSync(this.mediaDir, { recursive: true, force: true });
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

  async case(id: string): Promise<Case> {
    const c = await this.repo.get(id);
    if (!c) throw new Error(`case ${id} not found`);
    return c;
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
