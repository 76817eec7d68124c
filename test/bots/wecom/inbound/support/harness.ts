import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import type { RedisClient } from '../../../../../infra/redis';
import type { Connection } from 'mongoose';
import type { Worker } from 'bullmq';
import { createWecomCallbackRouter, type WecomCallbackConfig } from '../../../../../bots/wecom/callbackRouter';
import type { InboundEvent } from '../../../../../bots/wecom/events';
import { createRedis } from '../../../../../infra/redis';
import { connectMongo } from '../../../../../store/connection';
import { CallbackSender } from '../../../../../fakes/wecom/callbackSender';
import { QueueFirstAcceptor, StoreFirstAcceptor } from '../../../../../jobs/inbound/acceptors';
import { InboundDispatcher } from '../../../../../jobs/inbound/dispatcher';
import { InboundEventStore } from '../../../../../jobs/inbound/eventStore';
import { InboundQueue } from '../../../../../jobs/inbound/queue';
import { createInboundWorker } from '../../../../../jobs/inbound/worker';
import { captureLogger, type LogLine } from '../../../../support/capturedLogs';
import { testMongoUri, testPrefix, testRedisUrl } from '../../../../support/isolation';

export const TEST_CORP = {
  corpId: 'wwtestcorp0001',
  token: 'TestToken123',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  agentId: 1000002,
};

export type AcceptMode = 'queue-first' | 'store-first';

export interface Harness {
  url: string;
  sender: CallbackSender;
  store: InboundEventStore;
  queue: InboundQueue;
  dispatcher: InboundDispatcher;
  received: InboundEvent[];
  logs: LogLine[];
  startWorker(): Worker;
  /** Jobs in any state, plus seen-markers: zero means nothing was enqueued. */
  queuedCount(): Promise<number>;
  waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(label: string, options: { mode?: AcceptMode; config?: Partial<WecomCallbackConfig>; now?: () => number } = {}): Promise<Harness> {
  const logs: LogLine[] = [];
  const logger = captureLogger(logs);
  const mongo: Connection = await connectMongo(testMongoUri(label));
  const redis: RedisClient = createRedis(testRedisUrl());
  const prefix = testPrefix(label);
  const store = new InboundEventStore(mongo);
  const queue = new InboundQueue({ connection: { url: testRedisUrl() }, prefix });
  const inbound = options.mode === 'store-first' ? new StoreFirstAcceptor(store, queue) : new QueueFirstAcceptor(queue, redis);
  const config: WecomCallbackConfig = {
    corpId: TEST_CORP.corpId,
    token: TEST_CORP.token,
    encodingAesKey: TEST_CORP.encodingAesKey,
    maxBodyBytes: 1024 * 1024,
    timestampWindowSeconds: 300,
    ...options.config,
  };
  const router = createWecomCallbackRouter({ config, logger, inbound, now: options.now });
  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods());
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wecom/callback`;
  const sender = new CallbackSender({ url, ...TEST_CORP, now: options.now });
  const dispatcher = new InboundDispatcher(logger);
  const received: InboundEvent[] = [];
  const workers: Worker[] = [];

  return {
    url,
    sender,
    store,
    queue,
    dispatcher,
    received,
    logs,
    startWorker() {
      const worker = createInboundWorker({ connection: { url: testRedisUrl() }, redis, prefix, store, dispatcher, logger, concurrency: 4 });
      workers.push(worker);
      return worker;
    },
    async queuedCount() {
      const counts = await queue.queue.getJobCounts();
      const jobs = Object.values(counts).reduce((sum, n) => sum + n, 0);
      const markers = await redis.keys(`${queue.seenKeyPrefix}*`);
      return jobs + markers.length;
    },
    async waitFor(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await predicate())) {
        if (Date.now() > deadline) throw new Error('timed out waiting for condition');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await queue.queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await redis.quit();
      await mongo.dropDatabase().catch(() => undefined);
      await mongo.close();
    },
  };
}
