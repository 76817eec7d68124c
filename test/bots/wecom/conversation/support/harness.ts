import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { caseStoreFrom, lifecycleConfig } from '../../../../../commands';
import { loadDistrictSeed } from '../../../../../config/district';
import { parseConversationConfig, type ConversationConfig } from '../../../../../config/conversation';
import { createLogger } from '../../../../../infra/logger';
import { WecomApiClient } from '../../../../../bots/wecom/apiClient';
import type { ConversationDeps } from '../../../../../bots/wecom/conversation/deps';
import { createFeedbackTimer, startFeedbackWorker } from '../../../../../bots/wecom/conversation/feedbackTimer';
import { settleFeedback } from '../../../../../bots/wecom/conversation/departmentFlow';
import { conversationDeps } from '../../../../../bots/wecom/conversation/wiring';
import { createWecomLifecycle, type WecomLifecycle } from '../../../../../bots/wecom/lifecycle/wiring';
import { LocalDiskMediaStorage } from '../../../../../bots/wecom/mediaStorage';
import { FakeWecomServer, type InboxMessage } from '../../../../../fakes/wecom';
import { bullConnection, createOutbox, createOutboxWorker } from '../../../../../jobs/outbox';
import { connectMongo } from '../../../../../store/connection';
import { CaseRepository } from '../../../../../store/caseRepository';
import { OrgRepository } from '../../../../../store/orgRepository';
import { testMongoUri, testPrefix, testRedisUrl } from '../../../../support/isolation';
import { InboundDriver } from './inbound';
import { sleep, waitFor } from '../../../../support/wait';

export const DEMO_DISTRICT = 'demo-district';

/** Short windows so a test sees a held feedback settle. */
export const TEST_CONVERSATION_CONFIG: ConversationConfig = parseConversationConfig({
  gatherWindowSeconds: 5,
  draftTtlSeconds: 60,
  feedbackWindowSeconds: 1,
  myReportsLimit: 5,
  textPreviewChars: 60,
  defaultExtensionDays: 3,
  categoryChoices: ['road', 'manhole', 'drainage', 'sanitation', 'street_light', 'parking', 'street_order', 'greening', 'other'],
});

/**
 * The conversation wired like the app wires it: real Redis drafts and BullMQ outbox, real
 * FerretDB cases and organisation (demo district), the lifecycle with its notifier, and the fake
 * WeChat Work server receiving everything the bot sends.
 */
export class ConversationHarness {
  readonly fake = new FakeWecomServer();
  readonly prefix: string;
  redis!: Redis;
  mongo!: Connection;
  org!: OrgRepository;
  lifecycle!: WecomLifecycle;
  deps!: ConversationDeps;
  inbound!: InboundDriver;
  private mediaDir = '';
  private readonly closers: (() => Promise<void>)[] = [];

  constructor(private readonly label: string) {
    this.prefix = testPrefix(label);
  }

  async start(): Promise<this> {
    const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent' });
    await this.fake.listen();
    this.closers.push(() => this.fake.close());
    this.redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 3 });
    this.closers.push(async () => void this.redis.disconnect());
    this.mongo = await connectMongo(testMongoUri(this.label));
    this.closers.push(async () => {
      await this.mongo.dropDatabase();
      await this.mongo.close();
    });
    this.org = new OrgRepository(this.mongo);
    await this.org.loadSeed(loadDistrictSeed(join(__dirname, '../../../../../config/district.demo.json')));
    this.mediaDir = await mkdtemp(join(tmpdir(), 'wb-conv-media-'));
    this.closers.push(() => rm(this.mediaDir, { recursive: true, force: true }));

    const connection = bullConnection(testRedisUrl());
    const client = new WecomApiClient({ ...this.fake.credentials(), redis: this.redis, keyPrefix: this.prefix, timeoutMs: 5_000 });
    const outbox = createOutbox({ connection, prefix: this.prefix, backoffMs: 100 });
    const worker = createOutboxWorker({ connection, prefix: this.prefix, client, redis: this.redis, ratePerMinute: 60_000, rateLimitPauseMs: 200 });
    this.closers.push(() => outbox.close(), () => worker.close(true));

    const cases = new CaseRepository(this.mongo);
    await cases.ensureIndexes();
    this.lifecycle = createWecomLifecycle({
      mongo: this.mongo,
      cases: caseStoreFrom(cases, DEMO_DISTRICT),
      org: this.org,
      outbox,
      deadlines: { syncCase: async () => undefined },
      // Every scenario reports something new: no merging of look-alike reports across tests.
      config: lifecycleConfig({ duplicates: { windowMs: 1, maxDistanceMeters: 0 } }),
      logger,
    });
    const feedbackTimer = createFeedbackTimer({ connection, prefix: this.prefix });
    this.closers.push(() => feedbackTimer.close());
    this.deps = conversationDeps({
      redis: this.redis,
      prefix: this.prefix,
      org: this.org,
      lifecycle: this.lifecycle.deps,
      outbox,
      wecom: client,
      media: new LocalDiskMediaStorage(this.mediaDir),
      feedbackTimer,
      logger,
      config: TEST_CONVERSATION_CONFIG,
    });
    const feedbackWorker = startFeedbackWorker({ connection, prefix: this.prefix, settle: (userId, draftId) => settleFeedback(this.deps, userId, draftId), logger });
    this.closers.push(() => feedbackWorker.close());
    this.inbound = await InboundDriver.start({ fake: this.fake, deps: this.deps, lifecycle: this.lifecycle, mongo: this.mongo, redis: this.redis, prefix: this.prefix, logger });
    this.closers.push(() => this.inbound.stop());
    return this;
  }

  async stop(): Promise<void> {
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
  }

  /** Where fetched photos are stored. */
  get mediaRoot(): string {
    return this.mediaDir;
  }

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
}



export function textOf(message: InboxMessage): string {
  const body = message.body as { text?: { content?: unknown } };
  return typeof body.text?.content === 'string' ? body.text.content : '';
}

export interface SentCard {
  card_type: string;
  task_id: string;
  main_title?: { title?: string; desc?: string };
  horizontal_content_list?: { keyname: string; value?: string }[];
  button_list?: { text: string; key?: string }[];
  select_list?: { question_key: string; option_list: { id: string; text: string }[] }[];
  submit_button?: { key: string };
}

export function cardOf(message: InboxMessage): SentCard {
  const card = (message.body as { template_card?: SentCard }).template_card;
  if (!card) throw new Error(`message ${message.msgid} is a ${message.msgtype}, not a card`);
  return card;
}

export function rowsOf(card: SentCard): Record<string, string> {
  return Object.fromEntries((card.horizontal_content_list ?? []).map((r) => [r.keyname, r.value ?? '']));
}

export function buttonKey(card: SentCard, text: string): string {
  const key = card.button_list?.find((b) => b.text === text)?.key;
  if (!key) throw new Error(`card has no button ${text}`);
  return key;
}

export { sleep, waitFor };
