import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeWecomServer } from '../../fakes/wecom';
import { CallbackSender } from '../../fakes/wecom/callbackSender';
import { startRedisSentinelSet, type RunningRedisSentinelSet } from '../../scripts/services/redisSentinel';
import { testMongoUri, testPrefix } from '../support/isolation';
import { sleep, waitFor } from '../support/wait';
import { CityLoad, repeatedDeliveries, storedCases } from './support/cityLoad';
import { CityProcesses, UNLIMITED_WECOM_RATES } from './support/cityProcesses';
import { reportCounts } from './support/counts';
import { faultDistrict, writeCityConfig } from './support/loadDistrict';

/**
 * Fault (e), a Redis failover under a lifecycle load: a Redis master, its replica and 3 sentinels (quorum 2,
 * `down-after-milliseconds` 1000, `failover-timeout` 3000), and a web and a worker process (ROLE=web / ROLE=worker)
 * that find the master only through the sentinels (REDIS_SENTINELS; REDIS_URL's host does not exist). Grid members
 * report, confirm, the lead taps 接哨, the member sends the feedback, the reporter taps 已解决 — every message and tap a
 * signed callback to the web process (re-sent, unchanged, when it is not answered 200, as WeChat Work retries). Once a
 * third of the reports are confirmed the master is SIGKILLed (never restarted); the sentinels promote the replica and
 * the processes follow it. Then: every report is exactly one case, closed; every whistle card reached both leads;
 * nothing was delivered twice beyond the window README's Faults section documents.
 */
const CASES_PER_REPORTER = 3;
const QUEUE_LOCK_MS = 3_000;
/** The outbox sends in flight at most when the master dies (the outbox's concurrency): the documented window. */
const OUTBOX_CONCURRENCY = 4;
const MASTER = 'city';

const district = faultDistrict('fo');
const { reporters, leads, member } = district.people;

/**
 * What the app processes' logs say was run again: tries that failed and were retried with backoff, and jobs whose
 * lock the new master did not have (`Missing lock for job …`: it lapsed during the failover), which BullMQ's
 * stalled-job check hands back to a worker.
 */
function retriedJobs(output: string): { failedTries: number; lockLost: string[] } {
  const lines = output.split('\n');
  const lockLost = new Set<string>();
  for (const line of lines) {
    const job = /Missing lock for job ([^\s.]+)/.exec(line)?.[1];
    if (job !== undefined) lockLost.add(job);
  }
  return { failedTries: lines.filter((line) => line.includes('will retry')).length, lockLost: [...lockLost].sort() };
}

describe('fault: the Redis master SIGKILLed mid-load, the sentinels promote its replica', () => {
  const fake = new FakeWecomServer();
  const secrets = { token: randomBytes(12).toString('hex'), encodingAesKey: randomBytes(32).toString('base64').slice(0, 43) };
  let dir: string;
  let redis: RunningRedisSentinelSet;
  let storeUri: string;
  const processes = new CityProcesses();
  let load: CityLoad | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(process.env.WHISTLEBOT_TEST_DATA_DIR ?? tmpdir(), 'redis-failover-'));
    redis = await startRedisSentinelSet({ dir: join(dir, 'redis'), masterName: MASTER, sentinels: 3, quorum: 2, downAfterMs: 1_000, failoverTimeoutMs: 3_000 });
    storeUri = testMongoUri('redis_failover');
    await fake.listen();
    const env = {
      MONGODB_URI: storeUri,
      // A host that does not exist: only the sentinels lead the processes to the master, before and after the failover.
      REDIS_URL: 'redis://no-such-redis-host.invalid:6379',
      REDIS_SENTINELS: redis.sentinels.map((n) => `${n.host}:${n.port}`).join(','),
      REDIS_SENTINEL_MASTER: MASTER,
      QUEUE_PREFIX: testPrefix('failover'),
      ...writeCityConfig(dir, district.seed),
      ...fake.appEnv(secrets),
      ...UNLIMITED_WECOM_RATES,
      QUEUE_LOCK_MS: String(QUEUE_LOCK_MS),
    };
    await processes.start(env, [['web', 'web'], ['worker', 'worker']], 120_000);
  }, 180_000);

  afterAll(async () => {
    load?.abort();
    await processes.stop('failover');
    await fake.close();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });


  it('loses no report, closes every case, brings every whistle card to its leads, repeats nothing beyond the window', async () => {
    const web = new CallbackSender({ url: `${processes.running.get('web')?.url}/wecom/callback`, corpId: fake.corpId, agentId: fake.agentId, ...secrets });
    load = new CityLoad(fake, [web], { reporters, leads, member }, 45_000);
    const cityLoad = load;
    const { flows, done, startedAt } = cityLoad.runFlows(CASES_PER_REPORTER, 'failover');

    await waitFor('a third of the reports confirmed', () => cityLoad.confirmed >= flows.length / 3, 90_000);
    const killedAfterMs = Date.now() - startedAt;
    const confirmedAtKill = cityLoad.confirmed;
    const closedAtKill = cityLoad.closed;
    const resentAtKill = cityLoad.resent;
    process.kill(redis.master.pid, 'SIGKILL');
    const killedAt = Date.now();
    process.stderr.write(`[failover] SIGKILLed the Redis master (port ${redis.master.port}) after ${killedAfterMs} ms\n`);
    await waitFor('the sentinels to promote the replica', async () => (await redis.masterPort()) === redis.replica.port, 30_000);
    const promotedMs = Date.now() - killedAt;
    // The first report confirmed after the kill: the load moving again through the new master.
    await waitFor('a report confirmed after the failover', () => cityLoad.confirmed > confirmedAtKill || cityLoad.closed > closedAtKill, 60_000);
    const movingAgainMs = Date.now() - killedAt;
    await done;
    const seconds = (Date.now() - startedAt) / 1000;
    await sleep(QUEUE_LOCK_MS); // a late repeat would arrive now

    const cases = await storedCases(storeUri);
    const deliveries = repeatedDeliveries(fake, { users: [...reporters, ...leads, member], webhooks: [district.leadWebhook] });
    const whistleCardsMissing = cityLoad.whistleCardsMissing(cases);
    const retried = retriedJobs([...processes.running.values()].map((p) => p.output()).join('\n'));
    reportCounts({
      fault: 'redis-sentinel-master-sigkill',
      received: flows.length,
      processed: cases.length,
      sent: deliveries.deliveries - deliveries.repeated.length,
      deliveries: deliveries.deliveries,
      duplicates: deliveries.repeated.length,
      inWindow: OUTBOX_CONCURRENCY,
      notes: {
        seconds,
        killedAfterMs,
        confirmedAtKill,
        promotedMs,
        movingAgainMs,
        callbacksResent: cityLoad.resent,
        callbacksResentAfterKill: cityLoad.resent - resentAtKill,
        failedTriesRetried: retried.failedTries,
        jobsLockLost: retried.lockLost.length,
        lockLost: retried.lockLost.join(' '),
        closed: cases.filter((c) => c.state === 'closed').length,
        repeated: deliveries.repeated.join(' | '),
      },
    });

    expect(flows.filter((f) => f.error !== undefined).map((f) => f.error)).toEqual([]);
    // Every report is exactly one case, and every case is closed.
    expect(cases.map((c) => c.text).sort()).toEqual(flows.map((f) => f.text).sort());
    expect(cases.filter((c) => c.state !== 'closed').map((c) => `${c.number} ${c.state}`)).toEqual([]);
    expect(whistleCardsMissing).toEqual([]);
    // Repeats only within the window: what the outbox had in flight when the master died.
    expect(deliveries.repeated.length).toBeLessThanOrEqual(OUTBOX_CONCURRENCY);
  }, 240_000);
});
