import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { composeApp } from '../../app/compose';
import type { ConversationModule } from '../../app/conversationModule';
import type { LifecycleModule } from '../../app/lifecycleModule';
import type { WecomGateway } from '../../app/wecomGateway';
import { startRuntime, type AppModule, type Runtime } from '../../app/runtime';
import type { ConversationDeps } from '../../bots/wecom/conversation/deps';
import type { CardActionEvent, CardSelection } from '../../bots/wecom/events';
import type { WecomLifecycle } from '../../bots/wecom/lifecycle/wiring';
import { loadEnv, type Env } from '../../config';
import type { DistrictSeed } from '../../config/district';
import { CallbackSender } from '../../fakes/wecom/callbackSender';
import { FakeWecomServer, type FakeAppChat, type FakeWecomServerOptions, type InboxMessage } from '../../fakes/wecom';
import { createLogger, type Logger } from '../../infra/logger';
import type { InboundDispatcher } from '../../jobs/inbound/dispatcher';
import { InboundQueue } from '../../jobs/inbound/queue';
import { bullConnection, createOutbox, type Outbox } from '../../jobs/outbox';
import type { Case } from '../../src/cases';
import { CaseRepository } from '../../store/caseRepository';
import type { DecodeQueue } from '../../web/mp/decodeQueue';
import type { OrgRepository } from '../../store/orgRepository';
import { testMongoUri, testPrefix, testRedisUrl } from './isolation';
import { MemberCallbacks } from './memberCallbacks';
import { waitFor } from './wait';

export interface TestAppOptions {
  /** The organisation (DISTRICT_CONFIG, written to a file for this app); the demo district by default. */
  district?: DistrictSeed;
  /** The SLA table (SLA_CONFIG, written to a file for this app), as JSON; config/sla.json by default. */
  sla?: Record<string, unknown>;
  /** Further environment variables, as production reads them. */
  env?: Record<string, string>;
  /** Configuration files by the variable that names them (e.g. OPEN311_CONFIG): each written as JSON for this app. */
  configFiles?: Record<string, unknown>;
  /** Defaults to all; `web` runs no worker (no sends, no taps handled, no deadline workers). */
  role?: Env['ROLE'];
  /** The fake WeChat Work's options (e.g. its per-member limit). */
  fake?: FakeWecomServerOptions;
  /** Group chats that exist in WeChat Work before the app starts. */
  appChats?: Omit<FakeAppChat, 'owner'>[];
  /** The clock of case changes and cards (production's composition seam); the wall clock by default. */
  clock?: () => Date;
  /** PUBLIC_BASE_URL is the app's own address (on a free port picked before it starts), so residents' photo links reach it. */
  publicBaseUrlIsOwn?: boolean;
  /** The residents' photo decoders (production's composition seam), e.g. a queue the test holds shut. */
  decodeQueue?: DecodeQueue;
  /** Defaults to a silent logger (LOG_LEVEL to see it). */
  logger?: Logger;
}

type InboxMessageLike = Pick<InboxMessage, 'msgid' | 'body'>;

/**
 * The app as production composes it (`composeApp` run by `startRuntime`), on the test's own Mongo
 * database and Redis prefix, talking to a fake WeChat Work server started for it. Tests drive it as
 * WeChat Work and its members would (signed callbacks, card taps) and read what the fake received.
 */
export class TestApp {
  readonly fake: FakeWecomServer;
  runtime!: Runtime;
  env!: Env;
  /** The cases as the store keeps them (a reader beside the app's own repository). */
  repo!: CaseRepository;
  /** Callbacks signed with the app's token and key for its callback URL, as WeChat Work sends them. */
  callbacks!: CallbackSender;
  /** Members' messages and taps, each resolved once the app has handled it. */
  inbound!: MemberCallbacks;
  /** The modules the composition root built, in its order. */
  modules: readonly AppModule[] = [];
  private inboundQueue: InboundQueue | undefined;
  private outbox: Outbox | undefined;
  private readonly configDir = mkdtempSync(join(tmpdir(), 'whistlebot-testapp-'));

  constructor(private readonly label: string, private readonly options: TestAppOptions = {}) {
    this.fake = new FakeWecomServer(options.fake);
  }

  get url(): string {
    if (!this.runtime.url) throw new Error('the test app serves no web role');
    return this.runtime.url;
  }

  get mongo(): Connection {
    return this.runtime.mongo;
  }

  get org(): OrgRepository {
    return this.runtime.org;
  }

  /** The conversation's services in the composed app (its drafts, its case desk…). */
  get conversation(): ConversationDeps {
    const module = this.modules.find((m): m is ConversationModule => 'deps' in m && 'drafts' in (m as ConversationModule).deps);
    if (!module) throw new Error('the composed app has no conversation module');
    return module.deps;
  }

  /** Where the app stores the photos it fetched (MEDIA_DIR). */
  get mediaDir(): string {
    return this.env.MEDIA_DIR;
  }

  /** The gateway's inbound dispatcher, where every module's listeners are registered (worker role). */
  get dispatcher(): InboundDispatcher {
    const gateway = this.modules.find((m): m is WecomGateway => 'dispatcher' in m);
    if (!gateway) throw new Error('the composed app has no WeChat Work gateway');
    return gateway.dispatcher;
  }

  /** The one lifecycle of the composed app (what `submitReport` / `runCaseCommand` take as `.deps`). */
  get lifecycle(): WecomLifecycle {
    const module = this.modules.find((m): m is LifecycleModule => 'lifecycle' in m);
    if (!module) throw new Error('the composed app has no lifecycle module');
    return module.lifecycle;
  }

  async start(): Promise<this> {
    await this.fake.listen();
    for (const chat of this.options.appChats ?? []) this.fake.addAppChat(chat);
    const callback = { token: randomBytes(12).toString('hex'), encodingAesKey: randomBytes(32).toString('base64').slice(0, 43) };
    const port = this.options.publicBaseUrlIsOwn ? await freePort() : 0;
    this.env = loadEnv({
      MONGODB_URI: testMongoUri(this.label),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: testPrefix(this.label),
      PORT: String(port),
      ...(port !== 0 && { PUBLIC_BASE_URL: `http://127.0.0.1:${port}` }),
      HOST: '127.0.0.1',
      ROLE: this.options.role ?? 'all',
      LOG_LEVEL: 'silent',
      MEDIA_DIR: join(this.configDir, 'media'),
      // Our own pace is for WeChat Work's per-app limit, which the fake does not have; robots and members keep theirs.
      WECOM_SEND_RATE_PER_MINUTE: '600000',
      ...this.fake.appEnv(callback),
      WECOM_OAUTH_BASE: this.fake.baseUrl,
      WECOM_SSO_BASE: this.fake.baseUrl,
      ...(this.options.district && { DISTRICT_CONFIG: this.configFile('district.json', this.options.district) }),
      ...(this.options.sla && { SLA_CONFIG: this.configFile('sla.json', this.options.sla) }),
      ...Object.fromEntries(Object.entries(this.options.configFiles ?? {}).map(([name, content]) => [name, this.configFile(`${name}.json`, content)])),
      ...this.options.env,
    });
    await this.boot();
    return this;
  }

  /** Stops the process as SIGTERM would and starts it again on the same store, prefix and fake WeChat Work. */
  async restart(): Promise<this> {
    await this.shutDown();
    await this.boot();
    return this;
  }

  /** Stops the app as SIGTERM would, drops its database and closes the fake: nothing is left open. */
  async stop(): Promise<void> {
    if (this.runtime) await this.runtime.mongo.dropDatabase().catch(() => undefined);
    await this.shutDown();
    await this.fake.close();
    rmSync(this.configDir, { recursive: true, force: true });
  }

  private async boot(): Promise<void> {
    const callback = this.callbackSecrets();
    const logger = this.options.logger ?? createLogger({ level: process.env.LOG_LEVEL ?? 'silent' });
    const { clock, decodeQueue } = this.options;
    const compose = composeApp(this.env, undefined, { rawEnv: { ...process.env, ...this.options.env }, ...(clock && { clock }), ...(decodeQueue && { decodeQueue }) });
    this.runtime = await startRuntime(this.env, logger, async (infra) => (this.modules = await compose(infra)));
    this.repo = new CaseRepository(this.runtime.mongo);
    // The app builds its indexes lazily (autoIndex); tests wait for them so a unique index is there from the first case.
    await this.repo.ensureIndexes();
    this.inboundQueue = new InboundQueue({ connection: bullConnection(this.env.REDIS_URL), prefix: this.env.QUEUE_PREFIX });
    this.outbox = createOutbox({ connection: bullConnection(this.env.REDIS_URL), redis: this.runtime.redis, prefix: this.env.QUEUE_PREFIX });
    if (this.runtime.url) {
      this.callbacks = new CallbackSender({ url: `${this.runtime.url}/wecom/callback`, ...callback, corpId: this.fake.corpId, agentId: this.fake.agentId });
      this.inbound = new MemberCallbacks(this.fake, this.callbacks, this.inboundQueue);
    }
  }

  private async shutDown(): Promise<void> {
    await this.inboundQueue?.close().catch(() => undefined);
    await this.outbox?.close().catch(() => undefined);
    if (this.runtime) {
      const clean = await this.runtime.stop();
      if (!clean) throw new Error(`the test app ${this.label} did not stop cleanly`);
    }
  }

  private callbackSecrets(): { token: string; encodingAesKey: string } {
    const { WECOM_TOKEN: token, WECOM_ENCODING_AES_KEY: encodingAesKey } = this.env;
    if (!token || !encodingAesKey) throw new Error('the test app has no callback secrets');
    return { token, encodingAesKey };
  }

  /**
   * Waits until every callback has been handled and the outbox has sent everything queued so far
   * (in the web role only a worker the test runs itself drains them).
   */
  async settle(timeoutMs = 15_000): Promise<void> {
    const { inbound, outbox } = this.queues();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const received = await inbound.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      const sending = await outbox.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if ([...Object.values(received), ...Object.values(sending)].every((n) => n === 0)) return;
      if (Date.now() > deadline) throw new Error(`still busy after ${timeoutMs} ms: inbound ${JSON.stringify(received)}, outbox ${JSON.stringify(sending)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends that failed, and callbacks whose handling failed: both should stay empty. */
  async failedSends(): Promise<string[]> {
    const { inbound, outbox } = this.queues();
    const sends = await outbox.queue.getFailed();
    const callbacks = await inbound.queue.getFailed();
    return [...sends.map((job) => `send ${job.data.idempotencyKey}: ${job.failedReason}`), ...callbacks.map((job) => `callback ${job.id}: ${job.failedReason}`)];
  }

  async case(id: string): Promise<Case> {
    const found = await this.repo.get(id);
    if (!found) throw new Error(`case ${id} not found`);
    return found;
  }

  /** Interactive cards a member received, oldest first, optionally only those whose task id starts with `kind`. */
  cards(userId: string, kind?: string): InboxMessage[] {
    return this.fake.inbox.user(userId).filter((m) => m.msgtype === 'template_card' && (kind === undefined || taskIdOf(m).startsWith(`${kind}-`)));
  }

  lastCard(userId: string, kind: string): InboxMessage {
    const card = this.cards(userId, kind).at(-1);
    if (!card) throw new Error(`${userId} has no ${kind} card; inbox: ${JSON.stringify(this.fake.inbox.user(userId).map((m) => m.body))}`);
    return card;
  }

  /** Text messages a member, a group robot (webhook key) or an app chat received, oldest first. */
  texts(recipient: { user?: string; webhook?: string; chat?: string }): string[] {
    const box = recipient.user !== undefined ? this.fake.inbox.user(recipient.user) : recipient.webhook !== undefined ? this.fake.inbox.webhook(recipient.webhook) : this.fake.inbox.appChat(recipient.chat ?? '');
    return box.filter((m) => m.msgtype === 'text').map((m) => String((m.body.text as { content: string }).content));
  }

  /** Everything a member received, oldest first. */
  inboxOf(userId: string): InboxMessage[] {
    return this.fake.inbox.user(userId);
  }

  /** Waits for a text to `userId`, among those after the first `from`, that contains `needle`. */
  async textContaining(userId: string, from: number, needle: string): Promise<string> {
    let found: string | undefined;
    await waitFor(`a text containing ${JSON.stringify(needle)} for ${userId}`, () => {
      found = this.inboxOf(userId).slice(from).map(textOf).find((t) => t.includes(needle));
      return found !== undefined;
    });
    return found ?? '';
  }

  /** Waits for the `n`-th template card to `userId` among the messages after the first `from`. */
  async cardAfter(userId: string, from: number, n = 1): Promise<InboxMessage> {
    const cards = () => this.inboxOf(userId).slice(from).filter((m) => m.msgtype === 'template_card');
    await waitFor(`card ${n} for ${userId}`, () => cards().length >= n);
    const card = cards()[n - 1];
    if (!card) throw new Error('no card');
    return card;
  }

  /** Waits until `message` has received `count` card updates and answers the newest. */
  async nthUpdate(message: InboxMessage, count: number): Promise<Record<string, unknown>> {
    await waitFor(`${count} update(s) of card ${message.msgid}`, () => message.updates.length >= count);
    const update = message.updates[count - 1];
    if (!update) throw new Error('no update');
    return update.body;
  }

  /** A member writes to the app; resolves when the app handled it and what it sent went out. */
  async sendText(userId: string, content: string): Promise<void> {
    await this.inbound.text(userId, content);
    await this.settle();
  }

  /**
   * A member taps a button (or submits selections) on a delivered card, with a fresh response code
   * for that card; resolves when the callback was handled and what it sent went out.
   */
  async tap(userId: string, card: InboxMessageLike, eventKey: string, selections: CardSelection[] = []): Promise<void> {
    await this.inbound.tap(userId, card, eventKey, selections);
    await this.settle();
  }

  /** The same tap handed to the lifecycle's tap handlers directly (twice, for a replay that slipped past the callback's dedupe). */
  async tapDirect(userId: string, card: InboxMessageLike, eventKey: string, dedupeKey: string): Promise<void> {
    const event: CardActionEvent = {
      type: 'template_card_event',
      fromUser: userId,
      toUser: this.fake.corpId,
      createTime: Math.floor(Date.now() / 1000),
      agentId: this.fake.agentId,
      dedupeKey,
      eventKey,
      taskId: taskIdOf(card),
      cardType: cardTypeOf(card),
      responseCode: this.fake.issueResponseCode(card.msgid),
      selectedItems: [],
    };
    await this.lifecycle.handleTap(event);
  }

  private queues(): { inbound: InboundQueue; outbox: Outbox } {
    if (!this.inboundQueue || !this.outbox) throw new Error('the test app has not started');
    return { inbound: this.inboundQueue, outbox: this.outbox };
  }

  private configFile(name: string, content: unknown): string {
    const path = join(this.configDir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  }
}

/** A port nothing listens on right now (the OS's next free one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function cardTypeOf(message: InboxMessageLike): string {
  return String((message.body.template_card as { card_type: string }).card_type);
}

/** The text of a text message ('' for anything else). */
export function textOf(message: InboxMessage): string {
  const body = message.body as { text?: { content?: unknown } };
  return typeof body.text?.content === 'string' ? body.text.content : '';
}

export function taskIdOf(message: InboxMessageLike): string {
  return String((message.body.template_card as { task_id?: string }).task_id ?? '');
}

/** Each update of a card as `for` → replace_name / replace_text, for assertions. */
export function cardUpdates(message: InboxMessage): { for: 'all' | string[]; text: string }[] {
  return message.updates.map((u) => {
    const body = u.body as { button?: { replace_name: string }; template_card?: { replace_text?: string } };
    return { for: u.for, text: body.button?.replace_name ?? body.template_card?.replace_text ?? '' };
  });
}
