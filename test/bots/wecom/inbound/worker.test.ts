import type { Job } from 'bullmq';
import type { Connection } from 'mongoose';
import pino from 'pino';
import type { InboundEvent } from '../../../../bots/wecom/events';
import { InboundDispatcher } from '../../../../jobs/inbound/dispatcher';
import { InboundEventStore } from '../../../../jobs/inbound/eventStore';
import type { InboundJobData } from '../../../../jobs/inbound/queue';
import { processInbound } from '../../../../jobs/inbound/worker';
import { connectMongo } from '../../../../store/connection';
import { testMongoUri } from '../../../support/isolation';

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
const job = (data: InboundJobData) => ({ data }) as Job<InboundJobData>;

describe('inbound worker step', () => {
  let mongo: Connection;
  let store: InboundEventStore;

  beforeAll(async () => {
    mongo = await connectMongo(testMongoUri('inbound_worker'));
    store = new InboundEventStore(mongo);
  });

  afterAll(async () => {
    await mongo.dropDatabase();
    await mongo.close();
  });

  test('stores the event, dispatches it, and a re-delivered job (e.g. re-added after its job expired) is a no-op', async () => {
    const seen: string[] = [];
    const dispatcher = new InboundDispatcher().on('text', (e) => void seen.push(e.content));
    const step = processInbound(store, dispatcher, pino({ level: 'silent' }));
    expect(await step(job({ event, receivedAt: Date.now() }))).toBe('handled');
    expect(await step(job({ event, receivedAt: Date.now() }))).toBe('already_handled');
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
    const step = processInbound(store, dispatcher, pino({ level: 'silent' }));
    await expect(step(job({ event: other, receivedAt: Date.now() }))).rejects.toThrow('listener crashed');
    expect((await store.findByKey('msg-43'))?.status).not.toBe('handled');
    expect(await step(job({ event: other, receivedAt: Date.now() }))).toBe('handled');
    expect(calls).toBe(2);
    expect(await store.findByKey('msg-43')).toMatchObject({ status: 'handled' });
  });

  test('a record the gateway stored first (store-first) is completed, not duplicated', async () => {
    const first: InboundEvent = { ...event, msgId: '45', dedupeKey: 'msg-45' };
    expect(await store.insertIfAbsent(first)).toBe(true);
    const step = processInbound(store, new InboundDispatcher(), pino({ level: 'silent' }));
    expect(await step(job({ event: first, receivedAt: Date.now() }))).toBe('handled');
    expect(await store.findByKey('msg-45')).toMatchObject({ status: 'handled', type: 'text' });
  });

  test('concurrent inserts of one key: exactly one is new', async () => {
    const same: InboundEvent = { ...event, msgId: '44', dedupeKey: 'msg-44' };
    const results = await Promise.all([1, 2, 3, 4].map(() => store.insertIfAbsent(same)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
