import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeWecomServer } from '../../fakes/wecom';
import { CallbackSender } from '../../fakes/wecom/callbackSender';
import { startFerretdb, type RunningFerretdb } from '../../scripts/services/ferretdb';
import { freePort } from '../../scripts/services/process';
import { startRedisServer, type RunningRedis } from '../../scripts/services/redis';
import { testPrefix } from '../support/isolation';
import { sleep, waitFor } from '../support/wait';
import { CityLoad, repeatedDeliveries, storedCases } from './support/cityLoad';
import { CityProcesses, UNLIMITED_WECOM_RATES } from './support/cityProcesses';
import { reportCounts } from './support/counts';
import { faultDistrict, writeCityConfig } from './support/loadDistrict';

/**
 * Fault (d), a city on several machines: 2 web and 2 worker processes (ROLE=web / ROLE=worker), each
 * its own OS process, on one Redis and one store (FerretDB), with the fake WeChat Work in this
 * process. Grid members report, confirm, the lead department's lead taps 接哨, its member sends the
 * feedback, the reporter taps 已解决 — every message and tap a signed callback to the two web
 * processes in turn. Once a third of the reports are confirmed, one web and one worker are
 * SIGKILLed; the load carries on against the survivors (a callback the dead web did not answer is
 * sent again to the other, as WeChat Work retries it). Then: every report is exactly one case,
 * closed; every whistle card reached both leads; nothing was delivered twice beyond the window
 * README's Faults section documents (the killed worker's sends in flight).
 */
const CASES_PER_REPORTER = 3;
const QUEUE_LOCK_MS = 3_000;
/** The killed worker's outbox sends in flight at most (the outbox's concurrency): the documented window. */
const OUTBOX_CONCURRENCY = 4;

const district = faultDistrict('city');
const { reporters, leads, member } = district.people;

describe('fault: a city of 2 web and 2 worker processes, one of each SIGKILLed mid-load', () => {
  const fake = new FakeWecomServer();
  const secrets = { token: randomBytes(12).toString('hex'), encodingAesKey: randomBytes(32).toString('base64').slice(0, 43) };
  let dir: string;
  let redis: RunningRedis;
  let ferret: RunningFerretdb;
  let storeUri: string;
  const processes = new CityProcesses();
  let load: CityLoad | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(process.env.WHISTLEBOT_TEST_DATA_DIR ?? tmpdir(), 'city-'));
    redis = await startRedisServer({ dir: join(dir, 'redis') });
    const ferretPort = await freePort();
    ferret = await startFerretdb({ dir: join(dir, 'ferret'), port: ferretPort });
    storeUri = `mongodb://127.0.0.1:${ferretPort}/city`;
    await fake.listen();
    const env = {
      MONGODB_URI: storeUri,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: testPrefix('city'),
      ...writeCityConfig(dir, district.seed),
      ...fake.appEnv(secrets),
      ...UNLIMITED_WECOM_RATES,
      QUEUE_LOCK_MS: String(QUEUE_LOCK_MS),
    };
    // Four processes starting at once on a busy 2-core machine take a while; a start that fails still leaves each child to stop.
    await processes.start(env, [['web-1', 'web'], ['web-2', 'web'], ['worker-1', 'worker'], ['worker-2', 'worker']], 150_000);
  }, 180_000);

  afterAll(async () => {
    load?.abort();
    await processes.stop('city');
    await fake.close();
    await redis?.stop();
    await ferret?.stop();
    rmSync(dir, { recursive: true, force: true });
  });


  function kill(name: string): void {
    processes.running.get(name)?.child.kill('SIGKILL');
  }

  it('loses no report, closes every case, brings every whistle card to its leads, repeats nothing beyond the window', async () => {
    const web = (name: string) => new CallbackSender({ url: `${processes.running.get(name)?.url}/wecom/callback`, corpId: fake.corpId, agentId: fake.agentId, ...secrets });
    load = new CityLoad(fake, [web('web-1'), web('web-2')], { reporters, leads, member }, 30_000);
    const cityLoad = load;
    const { flows, done, startedAt } = cityLoad.runFlows(CASES_PER_REPORTER, 'city');

    await waitFor('a third of the reports confirmed', () => cityLoad.confirmed >= flows.length / 3, 60_000);
    const killedAt = Date.now() - startedAt;
    kill('worker-1');
    kill('web-1');
    process.stderr.write(`[city] killed worker-1 and web-1 after ${killedAt} ms\n`);
    await done;
    const seconds = (Date.now() - startedAt) / 1000;
    await sleep(QUEUE_LOCK_MS); // a late repeat would arrive now

    const cases = await storedCases(storeUri);
    const deliveries = repeatedDeliveries(fake, { users: [...reporters, ...leads, member], webhooks: [district.leadWebhook] });
    const whistleCardsMissing = cityLoad.whistleCardsMissing(cases);
    reportCounts({
      fault: 'city-web-and-worker-sigkill',
      received: flows.length,
      processed: cases.length,
      sent: deliveries.deliveries - deliveries.repeated.length,
      deliveries: deliveries.deliveries,
      duplicates: deliveries.repeated.length,
      inWindow: OUTBOX_CONCURRENCY,
      notes: { seconds, killedAfterMs: killedAt, callbacksResent: cityLoad.resent, closed: cases.filter((c) => c.state === 'closed').length, repeated: deliveries.repeated.join(' | ') },
    });

    expect(flows.filter((f) => f.error !== undefined).map((f) => f.error)).toEqual([]);
    // Every report is exactly one case, and every case is closed.
    expect(cases.map((c) => c.text).sort()).toEqual(flows.map((f) => f.text).sort());
    expect(cases.filter((c) => c.state !== 'closed').map((c) => `${c.number} ${c.state}`)).toEqual([]);
    expect(whistleCardsMissing).toEqual([]);
    // Repeats only within the window: what the killed worker's outbox had in flight.
    expect(deliveries.repeated.length).toBeLessThanOrEqual(OUTBOX_CONCURRENCY);
  }, 180_000);
});
