/**
 * A deadline worker in its own process that hangs right after queueing an alert, before recording
 * it on the case, so a test can SIGKILL it at the worst moment. Env: REDIS_URL, MONGODB_URI,
 * DEADLINE_PREFIX, LOCK_MS, STALLED_MS, ACCEPT_SECONDS.
 */
import { calendarFor } from '../../../../src/sla';
import { createDeadlineWorker, MongoDeadlineCaseStore, OutboxDeadlineNotifier } from '../../../../jobs/deadlines';
import { bullConnection, createOutbox } from '../../../../jobs/outbox';
import { connectMongo } from '../../../../store/connection';
import { createRedis } from '../../../../infra/redis';
import { OrgRepository } from '../../../../store/orgRepository';
import { DEFAULT_TEST_TIMES, testSla } from './fixtures';
import { requiredEnv } from '../../../support/wait';


async function main(): Promise<void> {
  const redisUrl = requiredEnv('REDIS_URL');
  const prefix = requiredEnv('DEADLINE_PREFIX');
  const accept = Number(requiredEnv('ACCEPT_SECONDS'));
  const sla = testSla({ ...DEFAULT_TEST_TIMES, accept, finish: 2 * accept, verify: accept });
  const mongo = await connectMongo(requiredEnv('MONGODB_URI'));
  const outbox = createOutbox({ connection: bullConnection(redisUrl), redis: createRedis(redisUrl), prefix });
  const inner = new OutboxDeadlineNotifier({ outbox, org: new OrgRepository(mongo), timeZone: sla.timeZone });
  const worker = createDeadlineWorker({
    connection: bullConnection(redisUrl),
    prefix,
    store: new MongoDeadlineCaseStore(mongo),
    rules: () => ({ config: sla, calendar: calendarFor(sla) }),
    lockDurationMs: Number(requiredEnv('LOCK_MS')),
    stalledIntervalMs: Number(requiredEnv('STALLED_MS')),
    notifier: {
      async send(notice) {
        const receipt = await inner.send(notice);
        process.stdout.write(`sent ${notice.key}\n`);
        return new Promise<typeof receipt>(() => undefined); // never records it
      },
    },
  });
  await worker.waitUntilReady();
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
