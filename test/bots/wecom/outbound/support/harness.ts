import { WecomApiClient, type WecomApiClientOptions } from '../../../../../bots/wecom/apiClient';
import { FakeWecomServer, type FakeWecomServerOptions } from '../../../../../fakes/wecom/server';
import { bullConnection, bullConnectionFor, createOutbox, createOutboxWorker, type Outbox, type OutboxWorker, type OutboxWorkerOptions } from '../../../../../jobs/outbox';
import type { ConnectionOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { createRedis, type RedisClient, type RedisTarget } from '../../../../../infra/redis';
import { testRedisUrl } from '../../../../support/isolation';
import { testPrefixOn } from '../../../../support/redisSetups';
import { sleep, waitFor } from '../../../../support/wait';

/** One fake WeChat Work server, a private Redis prefix, and factories for clients, outboxes and workers. */
export class OutboundHarness {
  readonly fake: FakeWecomServer;
  readonly prefix: string;
  private readonly closers: (() => Promise<void>)[] = [];
  private bullRedis: RedisClient | undefined;

  /** `redis`: default the shared test Redis. */
  constructor(label: string, fakeOptions: FakeWecomServerOptions = {}, private readonly target: RedisTarget = { REDIS_URL: testRedisUrl() }) {
    this.fake = new FakeWecomServer(fakeOptions);
    this.prefix = testPrefixOn(target, label);
  }

  get redisUrl(): string {
    return this.target.REDIS_URL;
  }

  async start(): Promise<this> {
    await this.fake.listen();
    return this;
  }

  redis(options: RedisOptions = { maxRetriesPerRequest: 3 }): RedisClient {
    const redis = createRedis(this.target, undefined, options);
    this.closers.push(async () => {
      redis.disconnect();
    });
    return redis;
  }

  client(overrides: Partial<WecomApiClientOptions> = {}): WecomApiClient {
    return new WecomApiClient({
      ...this.fake.credentials(),
      redis: overrides.redis ?? this.redis(),
      keyPrefix: this.prefix,
      timeoutMs: 5_000,
      ...overrides,
    });
  }

  outbox(): Outbox {
    const outbox = createOutbox({ connection: this.bullConnection(), redis: this.redis(), prefix: this.prefix, backoffMs: 100 });
    this.closers.push(() => outbox.close());
    return outbox;
  }

  worker(overrides: Partial<OutboxWorkerOptions> = {}): OutboxWorker {
    const worker = createOutboxWorker({
      connection: this.bullConnection(),
      prefix: this.prefix,
      client: overrides.client ?? this.client(),
      redis: overrides.redis ?? this.redis(),
      ratePerMinute: 60_000,
      rateLimitPauseMs: 200,
      ...overrides,
    });
    this.closers.push(() => worker.close(true));
    return worker;
  }

  /** On a cluster BullMQ shares one cluster client (opened first, so closed after every queue and worker). */
  private bullConnection(): ConnectionOptions {
    if (!this.target.REDIS_CLUSTER_NODES) return bullConnection(this.redisUrl);
    this.bullRedis ??= this.redis({});
    return bullConnectionFor({ env: { REDIS_URL: this.redisUrl }, redis: this.bullRedis });
  }

  async stop(): Promise<void> {
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
    await this.fake.close();
  }
}

export { sleep, waitFor };
