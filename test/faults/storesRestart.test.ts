import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import mongoose from 'mongoose';
import { FakeWecomServer } from '../../fakes/wecom';
import { CallbackSender } from '../../fakes/wecom/callbackSender';
import { INBOUND_QUEUE_NAME } from '../../jobs/inbound/queue';
import { bullConnection, OUTBOX_QUEUE_NAME } from '../../jobs/outbox';
import { startFerretdb, type RunningFerretdb } from '../../scripts/services/ferretdb';
import { freePort } from '../../scripts/services/process';
import { startRedisServer, type RunningRedis } from '../../scripts/services/redis';
import { testPrefix } from '../support/isolation';
import { sleep, waitFor } from '../support/wait';
import { startAppProcess, type AppProcess } from './support/appProcess';
import { reportCounts, tally } from './support/counts';

/**
 * Faults (b) and (c), against the whole app in its own process with its own redis-server (AOF on,
 * as `npm start` runs it) and its own FerretDB, and the fake WeChat Work in this process.
 *
 * Each callback is a grid member asking for a case number that does not exist; the app answers
 * 「没有找到案件 <number>，请核对编号。」, so every reply names the callback it answers and a repeat
 * shows. The sender behaves as WeChat Work does: a callback not answered 200 is sent again (same
 * MsgId) a little later.
 *
 * (b) Redis is shut down and started again (same port, same AOF) while 60 callbacks arrive.
 * (c) FerretDB is stopped for 30 s while 60 more callbacks arrive, then started again.
 * Counted: received, acknowledged, processed (handled in the store), sent, duplicates.
 */
const MEMBERS = ['grid-zhang', 'grid-li', 'grid-wang', 'grid-zhao'];
const STORE_DOWN_MS = 30_000;
/** BullMQ's defaults, which the app keeps: lockDuration 30 s, stalledInterval 30 s, and a margin. */
const STALLED_RECOVERY_MS = 75_000;

describe('fault: Redis restarted mid-load, the store unreachable for 30 s', () => {
  const fake = new FakeWecomServer();
  const secrets = { token: randomBytes(12).toString('hex'), encodingAesKey: randomBytes(32).toString('base64').slice(0, 43) };
  let dir: string;
  let redis: RunningRedis;
  let redisPort: number;
  let ferret: RunningFerretdb;
  let ferretPort: number;
  let app: AppProcess | undefined;
  let sender: CallbackSender;
  let storeUri: string;
  let serial = 0;
  let acknowledgedSoFar = 0;
  let queuePrefix: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(process.env.WHISTLEBOT_TEST_DATA_DIR ?? tmpdir(), 'faults-'));
    redisPort = await freePort();
    redis = await startRedisServer({ dir: join(dir, 'redis'), port: redisPort });
    ferretPort = await freePort();
    ferret = await startFerretdb({ dir: join(dir, 'ferret'), port: ferretPort });
    storeUri = `mongodb://127.0.0.1:${ferretPort}/faults`;
    await fake.listen();
    queuePrefix = testPrefix('faults');
    const port = await freePort();
    app = await startAppProcess(
      {
        MONGODB_URI: storeUri,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: queuePrefix,
        MEDIA_DIR: join(dir, 'media'),
        ...fake.appEnv(secrets),
        WECOM_SEND_RATE_PER_MINUTE: '60000',
      },
      port,
    );
    sender = new CallbackSender({ url: `${app.url}/wecom/callback`, corpId: fake.corpId, agentId: fake.agentId, ...secrets });
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
    // The app's own log, for a failure's post-mortem (test-artifacts/ is not committed).
    if (app) {
      mkdirSync(join(__dirname, '../../test-artifacts/faults'), { recursive: true });
      writeFileSync(join(__dirname, '../../test-artifacts/faults/stores-app.log'), app.output());
    }
    await fake.close();
    await redis?.stop();
    await ferret?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  interface Delivery {
    number: string;
    dedupeKey: string;
    acknowledged: boolean;
    refusedTries: number;
  }

  /** One callback, sent again (same MsgId and time) until it is answered 200 with an empty body, as WeChat Work retries. */
  async function deliver(): Promise<Delivery> {
    serial += 1;
    const number = `2026-9${String(serial).padStart(5, '0')}`;
    const msgId = sender.nextMsgId();
    const createTime = Math.floor(Date.now() / 1000);
    const member = MEMBERS[serial % MEMBERS.length]!;
    let refusedTries = 0;
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const answer = await sender.sendText(member, number, { msgId, createTime }).catch(() => ({ status: 0, body: 'unreachable' }));
      if (answer.status === 200 && answer.body === '') {
        acknowledgedSoFar += 1;
        return { number, dedupeKey: `msg-${msgId}`, acknowledged: true, refusedTries };
      }
      refusedTries += 1;
      await sleep(1_000);
    }
    return { number, dedupeKey: `msg-${msgId}`, acknowledged: false, refusedTries };
  }

  /** Callbacks at a steady pace, `count` of them over `spreadMs`, each delivered in parallel with the next. */
  async function load(count: number, spreadMs: number): Promise<Delivery[]> {
    const pending: Promise<Delivery>[] = [];
    for (let i = 0; i < count; i += 1) {
      pending.push(deliver());
      await sleep(spreadMs / count);
    }
    return Promise.all(pending);
  }

  /** The numbers the app answered with 「没有找到案件 …」, one entry per message that reached the fake. */
  function repliedNumbers(): string[] {
    return fake.inbox
      .all()
      .map((m) => /没有找到案件 (2026-9\d{5})/.exec(String((m.body.text as { content?: string } | undefined)?.content ?? ''))?.[1])
      .filter((n): n is string => n !== undefined);
  }

  /** Jobs in Redis not finished yet: inbound callbacks and outbox messages (waiting, active, delayed for a retry). */
  async function unfinishedJobs(): Promise<{ inbound: number; outbox: number }> {
    const count = async (name: string) => {
      const queue = new Queue(name, { connection: bullConnection(redis.url), prefix: queuePrefix });
      try {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(counts).reduce((a, b) => a + b, 0);
      } finally {
        await queue.close();
      }
    };
    return { inbound: await count(INBOUND_QUEUE_NAME), outbox: await count(OUTBOX_QUEUE_NAME) };
  }

  async function handledCount(keys: string[]): Promise<number> {
    const client = new mongoose.mongo.MongoClient(storeUri, { serverSelectionTimeoutMS: 5_000 });
    try {
      await client.connect();
      return await client.db().collection('inbound_events').countDocuments({ _id: { $in: keys } as never, status: 'handled' });
    } finally {
      await client.close();
    }
  }

  async function settle(deliveries: Delivery[], timeoutMs: number): Promise<{ processed: number; replies: ReturnType<typeof tally> }> {
    const numbers = new Set(deliveries.map((d) => d.number));
    const ours = () => repliedNumbers().filter((n) => numbers.has(n));
    await waitFor('every callback answered by a reply', () => new Set(ours()).size === numbers.size, timeoutMs);
    const keys = deliveries.map((d) => d.dedupeKey);
    await waitFor('every callback recorded handled', async () => (await handledCount(keys)) === keys.length, timeoutMs);
    await sleep(1_500); // a late repeat would arrive now
    return { processed: await handledCount(keys), replies: tally(ours()) };
  }

  it('(b) Redis shut down and restarted with its AOF mid-load: queued replies survive, every callback acknowledged and answered once', async () => {
    // WeChat Work answers 502 until Redis is back, so every reply the app has queued by then is
    // still in Redis (an outbox job waiting to retry) when Redis goes down: the AOF must keep it.
    fake.failNext('server-error', 1_000_000, { path: '/cgi-bin/message/send' });
    const deliveries = load(60, 3_000);
    await waitFor('a third of the callbacks acknowledged', () => acknowledgedSoFar >= 20, 20_000);
    const queuedAtRestart = await unfinishedJobs();
    const downAt = Date.now();
    await redis.stop();
    redis = await startRedisServer({ dir: join(dir, 'redis'), port: redisPort });
    const downMs = Date.now() - downAt;
    expect(repliedNumbers()).toEqual([]);
    fake.clearFailures();
    const done = await deliveries;
    // A job whose lock did not survive the restart ("Missing lock for job …") is handed back by
    // BullMQ's stalled-job check: within lockDuration + stalledInterval (30 s + 30 s by default).
    const { processed, replies } = await settle(done, STALLED_RECOVERY_MS);
    const settledAfterMs = Date.now() - downAt;
    reportCounts({
      fault: 'redis-restart-aof',
      received: done.length,
      acknowledged: done.filter((d) => d.acknowledged).length,
      processed,
      sent: replies.distinct,
      deliveries: replies.distinct + replies.duplicates,
      duplicates: replies.duplicates,
      inWindow: 0,
      notes: { redisDownMs: downMs, settledAfterMs, inboundJobsQueuedAtRestart: queuedAtRestart.inbound, outboxJobsQueuedAtRestart: queuedAtRestart.outbox, refusedTriesRetried: done.reduce((n, d) => n + d.refusedTries, 0) },
    });
    expect(queuedAtRestart.inbound + queuedAtRestart.outbox).toBeGreaterThan(0); // the restart did hit queued work
    expect(done.every((d) => d.acknowledged)).toBe(true);
    expect({ processed, sent: replies.distinct, duplicates: replies.duplicates }).toEqual({ processed: 60, sent: 60, duplicates: 0 });
  }, 120_000);

  it('(c) the store unreachable for 30 s while callbacks keep arriving: all acknowledged at once, all processed once it is back, none answered twice', async () => {
    await ferret.stop();
    const downAt = Date.now();
    const done = await load(60, STORE_DOWN_MS - 1_000);
    const repliesWhileDown = repliedNumbers().filter((n) => done.some((d) => d.number === n)).length;
    await sleep(Math.max(0, STORE_DOWN_MS - (Date.now() - downAt)));
    ferret = await startFerretdb({ dir: join(dir, 'ferret'), port: ferretPort });
    const downMs = Date.now() - downAt;
    const { processed, replies } = await settle(done, 60_000);
    reportCounts({
      fault: 'store-down-30s',
      received: done.length,
      acknowledged: done.filter((d) => d.acknowledged && d.refusedTries === 0).length,
      processed,
      sent: replies.distinct,
      deliveries: replies.distinct + replies.duplicates,
      duplicates: replies.duplicates,
      inWindow: 0,
      notes: { storeDownMs: downMs, repliesWhileDown },
    });
    // The callback route needs only Redis: every callback is acknowledged at the first try.
    expect(done.map((d) => [d.acknowledged, d.refusedTries])).toEqual(done.map(() => [true, 0]));
    expect(repliesWhileDown).toBe(0); // answering needs the store: nothing was processed while it was away
    expect({ processed, sent: replies.distinct, duplicates: replies.duplicates }).toEqual({ processed: 60, sent: 60, duplicates: 0 });
  }, 120_000);
});
