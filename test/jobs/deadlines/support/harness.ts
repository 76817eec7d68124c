import type { Connection } from 'mongoose';
import { WecomApiClient } from '../../../../bots/wecom/apiClient';
import { appChatCreateBody } from '../../../../bots/wecom/messages';
import { FakeWecomServer } from '../../../../fakes/wecom/server';
import type { Worker } from 'bullmq';
import { createDeadlineEngine, createDeadlineWorker, MongoDeadlineCaseStore, OutboxDeadlineNotifier, type DeadlineEngine, type DeadlineJobData, type DeadlineJobResult, type DeadlineNotifier, type FiredAlert } from '../../../../jobs/deadlines';
import type { DeadlineRules } from '../../../../jobs/deadlines/plan';
import { bullConnectionFor, createOutbox, createOutboxWorker, type Outbox } from '../../../../jobs/outbox';
import type { LifecycleDeps } from '../../../../commands/deps';
import { runCaseCommand } from '../../../../commands/runCaseCommand';
import { createCase, type Actor, type Case, type CaseCommand, type CommandContext } from '../../../../src/cases';
import { calendarFor, createDeadlinePlanner, type SlaConfig } from '../../../../src/sla';
import { connectMongo } from '../../../../store/connection';
import { caseModel } from '../../../../store/models/case';
import { OrgRepository } from '../../../../store/orgRepository';
import { createRedis, type RedisClient, type RedisTarget } from '../../../../infra/redis';
import { lifecycleOver } from '../../../support/commandRunner';
import { testMongoUri, testRedisUrl, uniqueSuffix } from '../../../support/isolation';
import { testPrefixOn } from '../../../support/redisSetups';
import { APP_CHATS, TEST_SEED, testSla } from './fixtures';
import { sleep, waitFor as waitUntil } from '../../../support/wait';

export const DISPATCHER: Actor = { userId: 'disp1', name: '赵调度', role: 'dispatcher' };
export const ZJ_STAFF: Actor = { userId: 'zj-staff', name: '王干事', role: 'dept_member', deptCode: 'zhujian' };
export const CG_STAFF: Actor = { userId: 'cg-staff', name: '李干事', role: 'dept_member', deptCode: 'chengguan' };

export interface HarnessOptions {
  /** Default: the shared test Redis. */
  redis?: RedisTarget;
  sla?: SlaConfig;
  runWorkers?: boolean;
  sweepEveryMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Wraps the outbox notifier (the crash test hangs after sending). */
  wrapNotifier?: (inner: DeadlineNotifier) => DeadlineNotifier;
}

/** Fake WeChat Work, outbox and its worker, FerretDB cases and org, and the deadline engine, all private to one test. */
export class DeadlineHarness {
  readonly fake = new FakeWecomServer();
  prefix = '';
  readonly fired: FiredAlert[] = [];
  redisUrl = '';
  mongoUri = testMongoUri('deadlines');
  notifier!: DeadlineNotifier;
  redis!: RedisClient;
  mongo!: Connection;
  store!: MongoDeadlineCaseStore;
  outbox!: Outbox;
  engine!: DeadlineEngine;
  rules!: DeadlineRules;
  private lifecycle: LifecycleDeps | undefined;
  private readonly closers: (() => Promise<void>)[] = [];
  private seq = 0;

  static async start(options: HarnessOptions = {}): Promise<DeadlineHarness> {
    const h = new DeadlineHarness();
    try {
      await h.init(options);
    } catch (error) {
      await h.stop();
      throw error;
    }
    return h;
  }

  private async init(options: HarnessOptions): Promise<void> {
    const target = options.redis ?? { REDIS_URL: testRedisUrl() };
    this.redisUrl = target.REDIS_URL;
    this.prefix = testPrefixOn(target, 'deadlines');
    await this.fake.listen();
    this.redis = createRedis(target);
    this.closers.push(async () => void this.redis.disconnect());
    this.mongo = await connectMongo(this.mongoUri);
    this.closers.push(async () => {
      await this.mongo.dropDatabase().catch(() => undefined);
      await this.mongo.close();
    });
    await new OrgRepository(this.mongo).loadSeed(TEST_SEED);
    this.store = new MongoDeadlineCaseStore(this.mongo);
    const client = new WecomApiClient({ baseUrl: this.fake.baseUrl, corpId: this.fake.corpId, secret: this.fake.secret, agentId: this.fake.agentId, redis: this.redis, keyPrefix: this.prefix, timeoutMs: 5_000 });
    for (const [chatId, userIds] of Object.entries(APP_CHATS)) await client.createAppChat(appChatCreateBody({ chatId, userIds }));

    const connection = bullConnectionFor({ env: { REDIS_URL: this.redisUrl }, redis: this.redis });
    this.outbox = createOutbox({ connection, redis: this.redis, prefix: this.prefix, backoffMs: 100 });
    const outboxWorker = createOutboxWorker({ connection, prefix: this.prefix, client, redis: this.redis, ratePerMinute: 60_000 });
    this.closers.push(() => this.outbox.close(), () => outboxWorker.close());

    const sla = options.sla ?? testSla();
    this.rules = { config: sla, calendar: calendarFor(sla) };
    const notifier = new OutboxDeadlineNotifier({ outbox: this.outbox, org: new OrgRepository(this.mongo), timeZone: sla.timeZone });
    this.notifier = notifier;
    this.engine = await createDeadlineEngine({
      connection,
      redis: this.redis,
      prefix: this.prefix,
      rules: () => this.rules,
      ...((options.runWorkers ?? true) && {
        workers: {
          store: this.store,
          notifier: options.wrapNotifier ? options.wrapNotifier(notifier) : notifier,
          sweepEveryMs: options.sweepEveryMs ?? 60_000,
          ...(options.lockDurationMs !== undefined && { lockDurationMs: options.lockDurationMs }),
          ...(options.stalledIntervalMs !== undefined && { stalledIntervalMs: options.stalledIntervalMs }),
          onFired: (f) => this.fired.push(f),
        },
      }),
    });
    this.closers.push(() => this.engine.close());
  }

  /** A further deadline worker in this process (the crash test's survivor). */
  startWorker(options: { lockDurationMs?: number; stalledIntervalMs?: number } = {}): Worker<DeadlineJobData, DeadlineJobResult> {
    const worker = createDeadlineWorker({
      connection: bullConnectionFor({ env: { REDIS_URL: this.redisUrl }, redis: this.redis }),
      prefix: this.prefix,
      store: this.store,
      notifier: this.notifier,
      rules: () => this.rules,
      onFired: (f) => this.fired.push(f),
      ...options,
    });
    this.closers.push(() => worker.close());
    return worker;
  }

  ctx(actor: Actor, now = new Date()): CommandContext {
    return { actor, channel: 'sandbox', now, plan: createDeadlinePlanner(this.rules.config, this.rules.calendar) };
  }

  /** A street-level case, whistled to `departments` (lead first), stored and synced as the lifecycle would. */
  async whistledCase(departments: string[], text = '楼道墙皮脱落，存在安全隐患'): Promise<Case> {
    const n = ++this.seq;
    const created = createCase(
      { districtId: 'd1', streetId: 's1', communityId: 'c1', source: 'dispatcher', reporter: { userId: 'disp1' }, text, parsed: { urgency: 'key', confidence: 1 }, level: 'street' },
      { id: `case-${uniqueSuffix()}-${n}`, number: `T-${n}` },
      this.ctx(DISPATCHER),
    );
    const { _id, doc } = toDoc(created);
    await caseModel(this.mongo).collection.insertOne({ _id, ...doc } as Record<string, unknown> as never);
    return this.run(created.id, { type: 'whistle', departments }, DISPATCHER);
  }

  /** Applies a command through production's command runner, whose deadline sync is this engine's (its notices are not this test's). */
  async run(caseId: string, command: CaseCommand, actor: Actor): Promise<Case> {
    this.lifecycle ??= { ...lifecycleOver(this.mongo, { districtId: 'd1' }), deadlines: this.engine.sync };
    const result = await runCaseCommand(this.lifecycle, { id: caseId }, command, this.ctx(actor));
    if (!result.ok) throw new Error(`${command.type} refused: ${result.reason}`);
    return result.case;
  }

  async load(caseId: string): Promise<Case> {
    const c = await this.store.load(caseId);
    if (!c) throw new Error(`no case ${caseId}`);
    return c;
  }

  /** Deadline events on the case, oldest first. */
  async deadlineEvents(caseId: string): Promise<Case['timeline']> {
    return (await this.load(caseId)).timeline.filter((e) => typeof e.details.deadlineKey === 'string');
  }

  onClose(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  async stop(): Promise<void> {
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
    await this.fake.close();
  }
}

function toDoc(c: Case): { _id: string; doc: Omit<Case, 'id'> } {
  const { id, ...doc } = c;
  return { _id: id, doc };
}

export { sleep };

export function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  return waitUntil(what, predicate, timeoutMs);
}
