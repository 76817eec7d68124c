import Redis from 'ioredis';
import { WecomApiClient, type WecomApiClientOptions } from '../../../../../bots/wecom/apiClient';
import { FakeWecomServer, type FakeWecomServerOptions } from '../../../../../fakes/wecom/server';
import { bullConnection, createOutbox, createOutboxWorker, type Outbox, type OutboxWorker, type OutboxWorkerOptions } from '../../../../../jobs/outbox';
import { testPrefix, testRedisUrl } from '../../../../support/isolation';
import { sleep, waitFor } from '../../../../support/wait';

/** One fake WeChat Work server, a private Redis prefix, and factories for clients, outboxes and workers. */
export class OutboundHarness {
  readonly fake: FakeWecomServer;
  readonly prefix: string;
  readonly redisUrl = testRedisUrl();
  private readonly closers: (() => Promise<void>)[] = [];

  constructor(label: string, fakeOptions: FakeWecomServerOptions = {}) {
    this.fake = new FakeWecomServer(fakeOptions);
    this.prefix = testPrefix(label);
  }

  async start(): Promise<this> {
    await this.fake.listen();
    return this;
  }

  redis(): Redis {
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 3 });
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
    const outbox = createOutbox({ connection: bullConnection(this.redisUrl), prefix: this.prefix, backoffMs: 100 });
    this.closers.push(() => outbox.close());
    return outbox;
  }

  worker(overrides: Partial<OutboxWorkerOptions> = {}): OutboxWorker {
    const worker = createOutboxWorker({
      connection: bullConnection(this.redisUrl),
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

  async stop(): Promise<void> {
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
    await this.fake.close();
  }
}

export { sleep, waitFor };
