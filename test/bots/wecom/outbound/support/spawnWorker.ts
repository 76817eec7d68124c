import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { OutboundHarness } from './harness';

/** Starts `workerProcess.ts` (an outbox worker in its own process, to be SIGKILLed) against the harness's fake and Redis. */
export function startWorkerProcess(
  h: OutboundHarness,
  options: { lockMs: number; stalledMs: number; concurrency?: number; orderLeaseMs?: number },
): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'workerProcess.ts')], {
    cwd: join(__dirname, '../../../../..'),
    env: {
      ...process.env,
      REDIS_URL: h.redisUrl,
      OUTBOX_PREFIX: h.prefix,
      WECOM_API_BASE: h.fake.baseUrl,
      WECOM_CORP_ID: h.fake.corpId,
      WECOM_SECRET: h.fake.secret,
      WECOM_AGENT_ID: String(h.fake.agentId),
      LOCK_MS: String(options.lockMs),
      STALLED_MS: String(options.stalledMs),
      ...(options.concurrency === undefined ? {} : { CONCURRENCY: String(options.concurrency) }),
      ...(options.orderLeaseMs === undefined ? {} : { ORDER_LEASE_MS: String(options.orderLeaseMs) }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}
