import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { Worker } from 'bullmq';
import type { RedisClient } from '../../../../infra/redis';
import type { Connection } from 'mongoose';
import { allianceModule, type AllianceModule } from '../../../../app/allianceModule';
import type { Closeable } from '../../../../app/closeables';
import type { Infrastructure } from '../../../../app/runtime';
import { WecomApiClient } from '../../../../bots/wecom/apiClient';
import { createWecomCallbackRouter } from '../../../../bots/wecom/callbackRouter';
import { loadEnv } from '../../../../config';
import { loadAllianceConfig, type AllianceConfig } from '../../../../config/alliance';
import { CallbackSender } from '../../../../fakes/wecom/callbackSender';
import { FakeWecomServer, type InboxMessage } from '../../../../fakes/wecom';
import { createLogger } from '../../../../infra/logger';
import { WechatMpClient } from '../../../../bots/wechat-mp/client';
import type { MpConfig } from '../../../../config/mp';
import { FakeWechatMpServer } from '../../../../fakes/wechat-mp/server';
import { createMpOutbox, createMpOutboxWorker, type MpOutbox, type MpOutboxWorker } from '../../../../jobs/mp-outbox';
import { residentModel } from '../../../../store/models/resident';
import { createRedis } from '../../../../infra/redis';
import { QueueFirstAcceptor } from '../../../../jobs/inbound/acceptors';
import { InboundDispatcher } from '../../../../jobs/inbound/dispatcher';
import { InboundEventStore } from '../../../../jobs/inbound/eventStore';
import { InboundQueue } from '../../../../jobs/inbound/queue';
import { createInboundWorker } from '../../../../jobs/inbound/worker';
import { bullConnection, createOutboxWorker, type OutboxWorker } from '../../../../jobs/outbox';
import { createOutbox, type Outbox } from '../../../../jobs/outbox/queue';
import type { Participant } from '../../../../src/alliance/types';
import { connectMongo } from '../../../../store/connection';
import { OrgRepository } from '../../../../store/orgRepository';
import { loadDistrictSeed } from '../../../../config/district';
import { createWebApp } from '../../../../web/app';
import { SessionStore } from '../../../../web/mp/session';
import { waitFor } from '../../../support/wait';
import { testMongoUri, testPrefix, testRedisUrl } from '../../../support/isolation';

export const API_TOKEN = 'alliance-test-token';

/** The shipped rules with the test's own participants (the demo district's people). */
export function testAllianceConfig(participants: Participant[]): AllianceConfig {
  return { ...loadAllianceConfig(), participants };
}

let tapSeq = 0;

/**
 * The alliance module as the app wires it, on a real HTTP port, with real FerretDB and Redis, the
 * real inbound path for card taps (encrypted callback → queue → worker → dispatcher) and the
 * outbox sending to the fake WeChat Work server. The alliance's clock is the test's to move.
 */
export class AllianceHarness {
  readonly fake = new FakeWecomServer();
  now = new Date('2026-05-01T02:00:00Z');
  url = '';
  mongo!: Connection;
  redis!: RedisClient;
  infra!: Infrastructure;
  module!: AllianceModule;
  sessions!: SessionStore;
  private server!: Server;
  private gateway!: Server;
  private callbacks!: CallbackSender;
  private inboundQueue!: InboundQueue;
  private inboundWorker!: Worker;
  private outboxWorker!: OutboxWorker;
  private outbox!: Outbox;
  private workers: Closeable[] = [];
  private readonly prefix: string;
  /** With `mpConfig`: the fake WeChat mini-program server that volunteers' subscribe messages reach. */
  readonly wechatMp = new FakeWechatMpServer({ appId: 'wx-alliance-test', appSecret: 'alliance-mp-secret' });
  private mpOutbox: MpOutbox | undefined;
  private mpWorker: MpOutboxWorker | undefined;

  constructor(private readonly label: string, private readonly participants: Participant[], private readonly options: { mpConfig?: MpConfig } = {}) {
    this.prefix = testPrefix(label);
  }

  async start(): Promise<this> {
    await this.fake.listen();
    const env = loadEnv({ MONGODB_URI: testMongoUri(this.label), REDIS_URL: testRedisUrl(), QUEUE_PREFIX: this.prefix, ALLIANCE_API_TOKEN: API_TOKEN, ALLIANCE_SECRET: 'alliance-test-secret-0123456789', LOG_LEVEL: 'silent' });
    const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent' });
    this.mongo = await connectMongo(env.MONGODB_URI);
    this.redis = createRedis(env.REDIS_URL, logger);
    const org = new OrgRepository(this.mongo);
    await org.loadSeed(loadDistrictSeed(env.DISTRICT_CONFIG));
    this.infra = { env, logger, mongo: this.mongo, redis: this.redis, org, closeables: [] };
    const dispatcher = new InboundDispatcher(logger);
    this.module = allianceModule(this.infra, { dispatcher, config: testAllianceConfig(this.participants), clock: () => this.now, ...(this.options.mpConfig && { mpConfig: this.options.mpConfig }) });
    if (this.options.mpConfig) {
      await this.wechatMp.start();
      const mpClient = new WechatMpClient({ baseUrl: this.wechatMp.url, appId: 'wx-alliance-test', appSecret: 'alliance-mp-secret', redis: this.redis, keyPrefix: this.prefix, timeoutMs: 5_000 });
      this.mpOutbox = createMpOutbox({ connection: bullConnection(env.REDIS_URL), prefix: this.prefix, attempts: 3, backoffMs: 50 });
      this.mpWorker = createMpOutboxWorker({ connection: bullConnection(env.REDIS_URL), prefix: this.prefix, send: (message) => mpClient.sendSubscribeMessage(message) });
    }

    const client = new WecomApiClient({ ...this.fake.credentials(), redis: this.redis, keyPrefix: this.prefix, timeoutMs: 5_000 });
    this.outboxWorker = createOutboxWorker({ connection: bullConnection(env.REDIS_URL), prefix: this.prefix, client, redis: this.redis, ratePerMinute: 600_000, concurrency: 8 });
    this.outbox = createOutbox({ connection: bullConnection(env.REDIS_URL), prefix: this.prefix });
    this.workers = (await this.module.startWorkers?.()) ?? [];
    this.sessions = new SessionStore(this.redis, this.prefix, 3600);

    const app = createWebApp({ logger, routers: this.module.routers?.() ?? [] });
    this.server = createServer(app.callback());
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;

    const secrets = { corpId: this.fake.corpId, token: 'AllianceToken', encodingAesKey: randomBytes(32).toString('base64').slice(0, 43) };
    this.inboundQueue = new InboundQueue({ connection: bullConnection(env.REDIS_URL), prefix: this.prefix });
    const router = createWecomCallbackRouter({ config: { ...secrets, maxBodyBytes: 1024 * 1024, timestampWindowSeconds: 300 }, logger, inbound: new QueueFirstAcceptor(this.inboundQueue, this.redis) });
    const gatewayApp = new Koa();
    gatewayApp.use(router.routes()).use(router.allowedMethods());
    this.gateway = await new Promise<Server>((resolve) => {
      const server = gatewayApp.listen(0, '127.0.0.1', () => resolve(server));
    });
    this.inboundWorker = createInboundWorker({ connection: bullConnection(env.REDIS_URL), redis: this.redis, prefix: this.prefix, store: new InboundEventStore(this.mongo), dispatcher, logger, concurrency: 4 });
    this.callbacks = new CallbackSender({ url: `http://127.0.0.1:${(this.gateway.address() as AddressInfo).port}/wecom/callback`, ...secrets, agentId: this.fake.agentId });
    return this;
  }

  async stop(): Promise<void> {
    await this.inboundWorker?.close(true).catch(() => undefined);
    await this.inboundQueue?.close().catch(() => undefined);
    await new Promise<void>((resolve) => (this.gateway ? this.gateway.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    for (const w of this.workers.reverse()) await w.close().catch(() => undefined);
    for (const c of this.infra?.closeables.reverse() ?? []) await c.close().catch(() => undefined);
    await this.outboxWorker?.close(true).catch(() => undefined);
    await this.outbox?.close().catch(() => undefined);
    await this.mpWorker?.close().catch(() => undefined);
    await this.mpOutbox?.close().catch(() => undefined);
    await this.wechatMp.stop();
    this.redis?.disconnect();
    await this.mongo?.dropDatabase().catch(() => undefined);
    await this.mongo?.close().catch(() => undefined);
    await this.fake.close();
  }

  get deps() {
    return this.module.deps;
  }

  async api<T = Record<string, unknown>>(method: string, path: string, json?: unknown, headers: Record<string, string> = { authorization: `Bearer ${API_TOKEN}` }): Promise<{ status: number; body: T; raw: Response }> {
    const response = await fetch(`${this.url}${path}`, { method, headers: { ...headers, ...(json !== undefined && { 'content-type': 'application/json' }) }, ...(json !== undefined && { body: JSON.stringify(json) }) });
    const type = response.headers.get('content-type') ?? '';
    const body = (type.includes('json') ? await response.json() : {}) as T;
    return { status: response.status, body, raw: response };
  }

  /** A mini-program session for a resident (the login exchange is tested with the mini-program). */
  async residentToken(residentId: string): Promise<string> {
    // The resident as the mini-program's login stores them (their openid stays on the server).
    await residentModel(this.mongo).updateOne({ _id: residentId }, { $setOnInsert: { openid: `openid-${residentId}`, createdAt: this.now, lastLoginAt: this.now } }, { upsert: true }).exec();
    return (await this.sessions.issue({ residentId, openid: `openid-${residentId}` })).token;
  }

  mp<T = Record<string, unknown>>(token: string, method: string, path: string, json?: unknown) {
    return this.api<T>(method, `/api/mp/alliance${path}`, json, { authorization: `Bearer ${token}` });
  }

  /** Waits until everything queued to WeChat Work has been sent and every callback handled. */
  async settle(timeoutMs = 15_000): Promise<void> {
    await waitFor('the outbox and the inbound queue to drain', async () => {
      const counts = [await this.outbox.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'), await this.inboundQueue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')];
      if (this.mpOutbox) counts.push(await this.mpOutbox.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'));
      return counts.every((c) => Object.values(c).every((n) => n === 0));
    }, timeoutMs);
  }

  async outboxFailures(): Promise<string[]> {
    const failed = [...(await this.outbox.queue.getFailed()), ...(await this.inboundQueue.queue.getFailed()), ...((await this.mpOutbox?.queue.getFailed()) ?? [])];
    return failed.map((job) => `${job.id ?? ''}: ${job.failedReason}`);
  }

  cards(userId: string): InboxMessage[] {
    return this.fake.inbox.user(userId).filter((m) => m.msgtype === 'template_card');
  }

  /** The sub-title of the last card a member received (the organiser's 报到待确认 cards say who and which seat there). */
  lastCardText(userId: string): string {
    const card = this.cards(userId).at(-1);
    return String((card?.body.template_card as { sub_title_text?: string } | undefined)?.sub_title_text ?? '');
  }

  texts(userId: string): string[] {
    return this.fake.inbox.user(userId).filter((m) => m.msgtype === 'text').map((m) => String((m.body.text as { content: string }).content));
  }

  lastText(userId: string): string {
    return this.texts(userId).at(-1) ?? '';
  }

  /** A tap on a delivered card, through WeChat Work's encrypted callback. */
  async tap(userId: string, card: InboxMessage, eventKey: string): Promise<void> {
    const response = await this.callbacks.sendCardEvent({
      fromUser: userId,
      eventKey,
      taskId: String((card.body.template_card as { task_id: string }).task_id),
      cardType: 'button_interaction',
      responseCode: this.fake.issueResponseCode(card.msgid),
      createTime: Math.floor(Date.now() / 1000) + ++tapSeq,
    });
    if (response.status !== 200) throw new Error(`callback answered ${response.status}: ${response.body}`);
    await this.settle();
  }
}
