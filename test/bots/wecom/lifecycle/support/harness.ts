import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import Redis from 'ioredis';
import Koa from 'koa';
import type { Connection } from 'mongoose';
import { createWecomCallbackRouter } from '../../../../../bots/wecom/callbackRouter';
import { registerLifecycleListeners } from '../../../../../bots/wecom/lifecycle/listeners';
import { CallbackSender } from '../../../../../fakes/wecom/callbackSender';
import { createLogger, type Logger } from '../../../../../infra/logger';
import type { DistrictSeed } from '../../../../../config/district';
import { QueueFirstAcceptor } from '../../../../../jobs/inbound/acceptors';
import { InboundDispatcher } from '../../../../../jobs/inbound/dispatcher';
import { InboundEventStore } from '../../../../../jobs/inbound/eventStore';
import { InboundQueue } from '../../../../../jobs/inbound/queue';
import { createInboundWorker } from '../../../../../jobs/inbound/worker';
import { WecomApiClient } from '../../../../../bots/wecom/apiClient';
import type { CardActionEvent, CardSelection } from '../../../../../bots/wecom/events';
import { createWecomLifecycle, type WecomLifecycle } from '../../../../../bots/wecom/lifecycle/wiring';
import { caseStoreFrom } from '../../../../../commands/caseStore';
import { lifecycleConfig } from '../../../../../commands/config';
import type { CaseChangeSubscriber } from '../../../../../commands/caseSubscribers';
import type { DeadlineSync, LifecycleConfig } from '../../../../../commands/deps';
import { FakeWecomServer, type FakeWecomServerOptions, type InboxMessage } from '../../../../../fakes/wecom';
import { bullConnection, createOutbox, createOutboxWorker, type Outbox, type OutboxWorker, type OutboxWorkerOptions } from '../../../../../jobs/outbox';
import type { Case } from '../../../../../src/cases';
import { CaseRepository } from '../../../../../store/caseRepository';
import { connectMongo } from '../../../../../store/connection';
import { OrgRepository } from '../../../../../store/orgRepository';
import { testMongoUri, testPrefix, testRedisUrl } from '../../../../support/isolation';
import { APP_CHAT_ID, DISTRICT_ID, testDistrict } from './district';

/** For tests that do not look at deadlines: the deadline engine is tested on its own. */
export const NO_DEADLINES: DeadlineSync = { syncCase: async () => undefined };

export interface HarnessOptions {
  config?: Partial<LifecycleConfig>;
  clock?: () => Date;
  deadlines?: DeadlineSync;
  /** Case-change subscribers built once the store is up (outside platforms' pushes). */
  subscribers?: (harness: LifecycleHarness) => CaseChangeSubscriber[];
  /** Defaults to the small test district. */
  district?: DistrictSeed;
  /** Defaults to a silent logger (LOG_LEVEL to see it). */
  logger?: Logger;
  /** The fake WeChat Work's options (e.g. its per-member limit). */
  fake?: FakeWecomServerOptions;
  /** Outbox worker options beyond the harness's (e.g. the member and robot pace). */
  outboxWorker?: Pick<OutboxWorkerOptions, 'memberLimit' | 'robotLimit'>;
}

let tapSeq = 0;

/**
 * The lifecycle against real FerretDB and Redis, with every outbound message going through the
 * outbox worker to the fake WeChat Work server, whose per-recipient inboxes the tests read.
 */
export class LifecycleHarness {
  readonly fake: FakeWecomServer;
  mongo!: Connection;
  org!: OrgRepository;
  repo!: CaseRepository;
  outbox!: Outbox;
  lifecycle!: WecomLifecycle;
  private worker!: OutboxWorker;
  private redis!: Redis;
  private inboundQueue!: InboundQueue;
  private inboundWorker!: Worker;
  private gateway!: Server;
  private callbacks!: CallbackSender;

  constructor(private readonly label: string, private readonly options: HarnessOptions = {}) {
    this.fake = new FakeWecomServer(options.fake);
  }

  async start(): Promise<this> {
    await this.fake.listen();
    this.mongo = await connectMongo(testMongoUri(this.label));
    this.org = new OrgRepository(this.mongo);
    await this.org.loadSeed(this.options.district ?? testDistrict);
    this.repo = new CaseRepository(this.mongo);
    await this.repo.ensureIndexes();
    this.redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 3 });
    const prefix = testPrefix(this.label);
    const client = new WecomApiClient({ ...this.fake.credentials(), redis: this.redis, keyPrefix: prefix, timeoutMs: 5_000 });
    await client.createAppChat({ chatid: APP_CHAT_ID, name: '城管群', userlist: ['cg-lead', 'dispatcher1'] });
    this.outbox = createOutbox({ connection: bullConnection(testRedisUrl()), prefix, backoffMs: 100 });
    this.worker = createOutboxWorker({ connection: bullConnection(testRedisUrl()), prefix, client, redis: this.redis, ratePerMinute: 600_000, concurrency: 8, ...this.options.outboxWorker });
    this.lifecycle = createWecomLifecycle({
      mongo: this.mongo,
      cases: caseStoreFrom(this.repo, DISTRICT_ID),
      org: this.org,
      outbox: this.outbox,
      deadlines: this.options.deadlines ?? NO_DEADLINES,
      config: { ...lifecycleConfig(), ...this.options.config },
      ...(this.options.clock !== undefined && { clock: this.options.clock }),
      ...(this.options.subscribers !== undefined && { subscribers: this.options.subscribers(this) }),
      ...(this.options.logger !== undefined && { logger: this.options.logger }),
    });
    await this.startGateway(prefix);
    return this;
  }

  /** The real inbound path: encrypted callback → callback route → inbound queue → worker → dispatcher → tap handlers. */
  private async startGateway(prefix: string): Promise<void> {
    const secrets = { corpId: this.fake.corpId, token: 'LifecycleToken', encodingAesKey: randomBytes(32).toString('base64').slice(0, 43) };
    const logger = this.options.logger ?? createLogger({ level: process.env.LOG_LEVEL ?? 'silent' });
    this.inboundQueue = new InboundQueue({ connection: bullConnection(testRedisUrl()), prefix });
    const router = createWecomCallbackRouter({
      config: { ...secrets, maxBodyBytes: 1024 * 1024, timestampWindowSeconds: 300 },
      logger,
      inbound: new QueueFirstAcceptor(this.inboundQueue, this.redis),
    });
    const app = new Koa();
    app.use(router.routes()).use(router.allowedMethods());
    this.gateway = await new Promise<Server>((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server));
    });
    const dispatcher = new InboundDispatcher(logger);
    registerLifecycleListeners(dispatcher, this.lifecycle);
    this.inboundWorker = createInboundWorker({ connection: bullConnection(testRedisUrl()), redis: this.redis, prefix, store: new InboundEventStore(this.mongo), dispatcher, logger, concurrency: 8 });
    const url = `http://127.0.0.1:${(this.gateway.address() as AddressInfo).port}/wecom/callback`;
    this.callbacks = new CallbackSender({ url, ...secrets, agentId: this.fake.agentId });
  }

  async stop(): Promise<void> {
    await this.inboundWorker?.close(true).catch(() => undefined);
    await this.inboundQueue?.close().catch(() => undefined);
    await new Promise<void>((resolve) => (this.gateway ? this.gateway.close(() => resolve()) : resolve()));
    await this.worker?.close(true).catch(() => undefined);
    await this.outbox?.close().catch(() => undefined);
    this.redis?.disconnect();
    await this.mongo?.dropDatabase().catch(() => undefined);
    await this.mongo?.close().catch(() => undefined);
    await this.fake.close();
  }

  /** Waits until every callback has been handled and the outbox has sent everything queued so far. */
  async settle(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const inbound = await this.inboundQueue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      const outbound = await this.outbox.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if ([...Object.values(inbound), ...Object.values(outbound)].every((n) => n === 0)) return;
      if (Date.now() > deadline) throw new Error(`still busy after ${timeoutMs} ms: inbound ${JSON.stringify(inbound)}, outbox ${JSON.stringify(outbound)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends that failed, and callbacks whose handling failed: both should stay empty. */
  async failedSends(): Promise<string[]> {
    const failed = await this.outbox.queue.getFailed();
    const inbound = await this.inboundQueue.queue.getFailed();
    return [...failed.map((job) => `send ${job.data.idempotencyKey}: ${job.failedReason}`), ...inbound.map((job) => `callback ${job.id}: ${job.failedReason}`)];
  }

  async case(id: string): Promise<Case> {
    const c = await this.repo.get(id);
    if (!c) throw new Error(`case ${id} not found`);
    return c;
  }

  /** Interactive cards a user received, oldest first, optionally only those whose task id starts with `kind`. */
  cards(userId: string, kind?: string): InboxMessage[] {
    return this.fake.inbox.user(userId).filter((m) => m.msgtype === 'template_card' && (kind === undefined || taskIdOf(m).startsWith(`${kind}-`)));
  }

  lastCard(userId: string, kind: string): InboxMessage {
    const card = this.cards(userId, kind).at(-1);
    if (!card) throw new Error(`${userId} has no ${kind} card; inbox: ${JSON.stringify(this.fake.inbox.user(userId).map((m) => m.body))}`);
    return card;
  }

  texts(recipient: { user?: string; webhook?: string; chat?: string }): string[] {
    const box = recipient.user !== undefined ? this.fake.inbox.user(recipient.user) : recipient.webhook !== undefined ? this.fake.inbox.webhook(recipient.webhook) : this.fake.inbox.appChat(recipient.chat ?? '');
    return box.filter((m) => m.msgtype === 'text').map((m) => String((m.body.text as { content: string }).content));
  }

  /**
   * A user taps a button (or submits selections) on a delivered card: WeChat Work's encrypted
   * callback, carrying a fresh response code for that card, is POSTed to our callback route; the
   * promise resolves when the callback was handled and what it sent went out.
   */
  async tap(userId: string, card: InboundMessageLike, eventKey: string, selections: CardSelection[] = []): Promise<void> {
    const response = await this.callbacks.sendCardEvent({
      fromUser: userId,
      eventKey,
      taskId: taskIdOf(card),
      cardType: cardTypeOf(card),
      responseCode: this.fake.issueResponseCode(card.msgid),
      selectedItems: selections,
      createTime: Math.floor(Date.now() / 1000) + ++tapSeq,
    });
    if (response.status !== 200) throw new Error(`callback answered ${response.status}: ${response.body}`);
    await this.settle();
  }

  /** The same tap event handed to the tap handlers directly (twice, for a replay that slipped past the gateway). */
  async tapDirect(userId: string, card: InboundMessageLike, eventKey: string, dedupeKey: string): Promise<void> {
    const taskId = taskIdOf(card);
    const event: CardActionEvent = {
      type: 'template_card_event',
      fromUser: userId,
      toUser: this.fake.corpId,
      createTime: Math.floor(Date.now() / 1000),
      agentId: this.fake.agentId,
      dedupeKey,
      eventKey,
      taskId,
      cardType: cardTypeOf(card),
      responseCode: this.fake.issueResponseCode(card.msgid),
      selectedItems: [],
    };
    await this.lifecycle.handleTap(event);
  }
}

type InboundMessageLike = Pick<InboxMessage, 'msgid' | 'body'>;

function cardTypeOf(message: InboundMessageLike): string {
  return String((message.body.template_card as { card_type: string }).card_type);
}

export function taskIdOf(message: InboundMessageLike): string {
  return String((message.body.template_card as { task_id?: string }).task_id ?? '');
}

/** The last update of a card as `for` → replace_name / replace_text, for assertions. */
export function cardUpdates(message: InboxMessage): { for: 'all' | string[]; text: string }[] {
  return message.updates.map((u) => {
    const body = u.body as { button?: { replace_name: string }; template_card?: { replace_text?: string } };
    return { for: u.for, text: body.button?.replace_name ?? body.template_card?.replace_text ?? '' };
  });
}
