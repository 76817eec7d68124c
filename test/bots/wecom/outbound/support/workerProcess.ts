/**
 * An outbox worker in its own process, so a test can SIGKILL it mid-send. Configured by env:
 * REDIS_URL, OUTBOX_PREFIX, WECOM_API_BASE, WECOM_CORP_ID, WECOM_SECRET, WECOM_AGENT_ID, LOCK_MS, STALLED_MS
 * and optionally CONCURRENCY and ORDER_LEASE_MS (the worker's defaults otherwise).
 */
import Redis from 'ioredis';
import { WecomApiClient } from '../../../../../bots/wecom/apiClient';
import { bullConnection, createOutboxWorker } from '../../../../../jobs/outbox';
import { requiredEnv } from '../../../../support/wait';


async function main(): Promise<void> {
  const redisUrl = requiredEnv('REDIS_URL');
  const prefix = requiredEnv('OUTBOX_PREFIX');
  const redis = new Redis(redisUrl);
  const client = new WecomApiClient({
    baseUrl: requiredEnv('WECOM_API_BASE'),
    corpId: requiredEnv('WECOM_CORP_ID'),
    secret: requiredEnv('WECOM_SECRET'),
    agentId: Number(requiredEnv('WECOM_AGENT_ID')),
    redis,
    keyPrefix: prefix,
    timeoutMs: 60_000,
  });
  const { worker } = createOutboxWorker({
    connection: bullConnection(redisUrl),
    prefix,
    client,
    redis,
    ratePerMinute: 60_000,
    lockDurationMs: Number(requiredEnv('LOCK_MS')),
    stalledIntervalMs: Number(requiredEnv('STALLED_MS')),
    ...(process.env.CONCURRENCY ? { concurrency: Number(process.env.CONCURRENCY) } : {}),
    ...(process.env.ORDER_LEASE_MS ? { memberOrderLeaseMs: Number(process.env.ORDER_LEASE_MS) } : {}),
  });
  worker.on('active', (job) => process.stdout.write(`active ${job.id ?? ''}\n`));
  await worker.waitUntilReady();
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
