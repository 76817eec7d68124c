import type { Job } from 'bullmq';
import type { RedisClient } from '../../../infra/redis';
import type { Connection } from 'mongoose';
import pino from 'pino';
import type { InboundEvent } from '../../../bots/wecom/events';
import { createRedis } from '../../../infra/redis';
import { InboundClaims } from '../../../jobs/inbound/claims';
import { InboundDispatcher } from '../../../jobs/inbound/dispatcher';
import { InboundEventStore } from '../../../jobs/inbound/eventStore';
import type { InboundJobData } from '../../../jobs/inbound/queue';
import { processInbound } from '../../../jobs/inbound/worker';
import { connectMongo } from '../../../store/connection';
import { testMongoUri, testPrefix, testRedisUrl } from '../../support/isolation';

const event: InboundEvent = {
  type: 'text',
  fromUser: 'zhangsan',
  toUser: 'corp',
  createTime: 1_700_000_000,
  agentId: 1,
  msgId: '42',
  dedupeKey: 'msg-42',
  content: '你好',
};
let jobIds = 0;
const job = (data: InboundJobData, id = `job-${++jobIds}`) => ({ id, name: 'batch', data }) as Job<InboundJobData>;
const silent = pino({ level: 'silent' });

describe('inbound worker step', () => {
  let mongo: Connection;
  let redis: RedisClient;
  let store: InboundEventStore;
  let claims: InboundClaims;

  beforeAll(async () => {
    mongo = await connectMongo(testMongoUri('inbound_worker'));
    redis = createRedis(testRedisUrl());
    store = new InboundEventStore(mongo);
    claims = new InboundClaims(redis, `${testPrefix('inbound_worker')}:claim:`, 60);
  });

  afterAll(async () => {
    await mongo.dropDatabase();
    await mongo.close();
    await redis.quit();
  });

  test('stores the event, dispatches it, and a re-delivered job (e.g. re-added after its job expired) is a no-op', async () => {
    const seen: string[] = [];
    const dispatcher = new InboundDispatcher().on('text', (e) => void seen.push(e.content));
    const step = processInbound(store, dispatcher, claims, silent);
    expect(await step(job({ event, receivedAt: Date.now() }, 'msg-42'))).toEqual({ handled: 1, alreadyHandled: 0, claimedElsewhere: 0 });
    await redis.del(`${testPrefix('inbound_worker')}:claim:msg-42`); // the claim expired, the job was re-added
    expect(await step(job({ event, receivedAt: Date.now() }, 'msg-42'))).toEqual({ handled: 0, alreadyHandled: 1, claimedElsewhere: 0 });
    expect(seen).toEqual(['你好']);
    expect(await store.findByKey('msg-42')).toMatchObject({ _id: 'msg-42', status: 'handled', payload: { content: '你好' } });
    expect(await store.count()).toBe(1);
  });

  test('a listener that fails leaves the event unhandled; the retry dispatches it again and completes', async () => {
    const other: InboundEvent = { ...event, msgId: '43', dedupeKey: 'msg-43' };
    let calls = 0;
    const dispatcher = new InboundDispatcher().on('text', () => {
      calls += 1;
      if (calls === 1) throw new Error('listener crashed');
    });
    const step = processInbound(store, dispatcher, claims, silent);
    const failing = job({ event: other, receivedAt: Date.now() });
    await expect(step(failing)).rejects.toThrow('listener crashed');
    expect((await store.findByKey('msg-43'))?.status).not.toBe('handled');
    expect(await step(failing)).toMatchObject({ handled: 1 });
    expect(calls).toBe(2);
    expect(await store.findByKey('msg-43')).toMatchObject({ status: 'handled' });
  });

  test('a record the gateway stored first (store-first) is completed, not duplicated', async () => {
    const first: InboundEvent = { ...event, msgId: '45', dedupeKey: 'msg-45' };
    expect(await store.insertIfAbsent(first)).toBe(true);
    const step = processInbound(store, new InboundDispatcher(), claims, silent);
    expect(await step(job({ event: first, receivedAt: Date.now() }))).toMatchObject({ handled: 1 });
    expect(await store.findByKey('msg-45')).toMatchObject({ status: 'handled', type: 'text' });
  });

  test('concurrent inserts of one key: exactly one is new', async () => {
    const same: InboundEvent = { ...event, msgId: '44', dedupeKey: 'msg-44' };
    const results = await Promise.all([1, 2, 3, 4].map(() => store.insertIfAbsent(same)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test('an event queued in two jobs (a retry in a later batch) is handled by the first job only', async () => {
    const repeated: InboundEvent = { ...event, msgId: '50', dedupeKey: 'msg-50', content: '重复' };
    const companion: InboundEvent = { ...event, fromUser: 'lisi', msgId: '51', dedupeKey: 'msg-51', content: '同批' };
    const seen: string[] = [];
    const dispatcher = new InboundDispatcher().on('text', async (e) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen.push(e.content);
    });
    const step = processInbound(store, dispatcher, claims, silent);
    const [a, b] = await Promise.all([step(job({ events: [repeated], receivedAt: Date.now() })), step(job({ events: [companion, repeated], receivedAt: Date.now() }))]);
    expect(a.handled + b.handled).toBe(2);
    expect(a.claimedElsewhere + b.claimedElsewhere).toBe(1);
    expect(seen.sort()).toEqual(['同批', '重复']);
  });

  test('in a batch, a failing event leaves its batch-mates handled and its sender\'s later events for the retry', async () => {
    const mk = (fromUser: string, n: number, content: string): InboundEvent => ({ ...event, fromUser, msgId: `6${n}`, dedupeKey: `msg-6${n}`, content });
    const batch = [mk('a', 1, 'a1'), mk('a', 2, 'boom'), mk('a', 3, 'a3'), mk('b', 4, 'b1')];
    const seen: string[] = [];
    let exploded = false;
    const dispatcher = new InboundDispatcher().on('text', (e) => {
      if (e.content === 'boom' && !exploded) {
        exploded = true;
        throw new Error('listener crashed');
      }
      seen.push(e.content);
    });
    const step = processInbound(store, dispatcher, claims, silent);
    const retried = job({ events: batch, receivedAt: Date.now() });
    await expect(step(retried)).rejects.toThrow('listener crashed');
    // Different senders run side by side, so only each sender's own order is fixed.
    expect([...seen].sort()).toEqual(['a1', 'b1']);
    expect(await step(retried)).toEqual({ handled: 2, alreadyHandled: 2, claimedElsewhere: 0 });
    expect(seen.filter((content) => content !== 'b1')).toEqual(['a1', 'boom', 'a3']);
    expect(seen.filter((content) => content === 'b1')).toHaveLength(1);
  });

  test('a job queued before batching (one `event`) is still processed', async () => {
    const legacy: InboundEvent = { ...event, msgId: '70', dedupeKey: 'msg-70' };
    const step = processInbound(store, new InboundDispatcher(), claims, silent);
    expect(await step(job({ event: legacy, receivedAt: Date.now() }))).toMatchObject({ handled: 1 });
  });
});
