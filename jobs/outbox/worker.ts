import { setTimeout as sleep } from 'node:timers/promises';
import type Redis from 'ioredis';
import { DelayedError, Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { WecomApiClient } from '../../bots/wecom/apiClient';
import { WecomRateLimitError, isTransientWecomError } from '../../bots/wecom/apiErrors';
import { deliverOutbound, type DeliveryResult } from '../../bots/wecom/outboundDelivery';
import type { Logger } from '../../infra/logger';
import { OUTBOX_QUEUE_NAME } from './names';
import type { OutboxJobData } from './queue';
import { RobotPace, WECOM_ROBOT_LIMIT, type RobotLimit } from './robotPace';
import { SentLedger } from './sentLedger';

export interface OutboxWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  client: WecomApiClient;
  /** For the sent ledger. */
  redis: Redis;
  /** WECOM_SEND_RATE_PER_MINUTE: our own pace, below WeChat Work's per-app limit. */
  ratePerMinute: number;
  concurrency?: number;
  /** Pause after a 45009; doubles while WeChat Work keeps throttling, up to rateLimitMaxPauseMs. */
  rateLimitPauseMs?: number;
  rateLimitMaxPauseMs?: number;
  /**
   * Per group robot (webhook key) limit, WeChat Work's 20 a minute by default. Null: no pacing
   * (only for a fake robot without a limit, as in the load test).
   */
  robotLimit?: RobotLimit | null;
  /** How long a crashed worker's job stays locked before another worker takes it over. */
  lockDurationMs?: number;
  /** Use one value for every worker of the queue: the first stalled check holds a Redis guard key that long. */
  stalledIntervalMs?: number;
  logger?: Logger;
}

export type OutboxJobResult = DeliveryResult | { skipped: 'already-sent' };

export interface OutboxWorker {
  readonly worker: Worker<OutboxJobData, OutboxJobResult>;
  close(force?: boolean): Promise<void>;
}

// Delayed jobs can be promoted a little early; a job that close to its slot waits in process.
const ROBOT_SLOT_SLACK_MS = 50;

/** The robot send time this job already reserved, if it is due (the job was woken for it). */
function dueRobotSlot(data: OutboxJobData): number | undefined {
  return data.robotSlotAt !== undefined && data.robotSlotAt <= Date.now() + ROBOT_SLOT_SLACK_MS ? data.robotSlotAt : undefined;
}

/**
 * Sends queued messages at most `ratePerMinute`, retrying transient failures with exponential
 * backoff and pausing the whole queue when WeChat Work says 45009.
 *
 * Duplicate protection: before sending we look the idempotency key up in the sent ledger, and right
 * after WeChat Work accepts the message we record it there. What remains is the window between
 * WeChat Work accepting a request and our ledger write landing: if the process dies there, or the
 * answer is lost (timeout after the server processed it), the job is retried and the message goes
 * out a second time. Closing it would need an idempotency key on WeChat Work's side, which the API
 * does not offer (message/send's enable_duplicate_check only compares content, and callers may set it
 * on the body), so delivery is at-least-once with that narrow window and exactly-once otherwise.
 *
 * Rate limits. An app API 45009 pauses the whole queue (queue.rateLimit, the non-deprecated form
 * of worker.rateLimit): the per-app limit is shared by every message. A group robot has its own
 * limit (20 a minute): each webhook message reserves a send time for its robot and waits in the
 * delayed set until then, and a robot's 45009 pushes only that robot's messages a window on. A busy
 * department's chat therefore never holds up anyone else's messages. Neither uses up attempts.
 */
export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const ledger = new SentLedger(options.redis, options.prefix);
  const robots = options.robotLimit === null ? undefined : new RobotPace(options.redis, options.prefix, options.robotLimit ?? WECOM_ROBOT_LIMIT);
  const rateLimiter = new Queue(OUTBOX_QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
  const basePause = options.rateLimitPauseMs ?? 5_000;
  const maxPause = options.rateLimitMaxPauseMs ?? 120_000;
  let consecutiveRateLimits = 0;

  /** Parks the job until its robot's reserved send time; it comes back without using an attempt. */
  const waitForRobot = async (job: Job<OutboxJobData, OutboxJobResult>, token: string | undefined, at: number): Promise<never> => {
    await job.updateData({ ...job.data, robotSlotAt: at });
    await job.moveToDelayed(at, token);
    throw new DelayedError();
  };

  const processJob = async (job: Job<OutboxJobData, OutboxJobResult>, token?: string): Promise<OutboxJobResult> => {
    const { idempotencyKey, message } = job.data;
    if (await ledger.wasSent(idempotencyKey)) {
      options.logger?.info({ jobId: job.id }, 'outbox message already sent; skipping');
      return { skipped: 'already-sent' };
    }
    const robot = robots && message.channel === 'webhook' ? { pace: robots, key: message.key } : undefined;
    if (robot) {
      const at = dueRobotSlot(job.data) ?? (await robot.pace.reserve(robot.key));
      if (at > Date.now() + ROBOT_SLOT_SLACK_MS) await waitForRobot(job, token, at);
      if (at > Date.now()) await sleep(at - Date.now());
      const retryAt = await robot.pace.admit(robot.key);
      if (retryAt !== undefined) await waitForRobot(job, token, retryAt);
    }
    let result: DeliveryResult;
    try {
      result = await deliverOutbound(options.client, message);
    } catch (error) {
      if (robot && error instanceof WecomRateLimitError) {
        await robot.pace.saturate(robot.key);
        const at = await robot.pace.reserve(robot.key);
        options.logger?.warn({ jobId: job.id, errcode: error.errcode, retryAt: new Date(at).toISOString() }, 'group robot rate limit; holding this robot\'s messages');
        return waitForRobot(job, token, at);
      }
      // A retry after a failed send reserves a fresh robot slot.
      if (job.data.robotSlotAt !== undefined) await job.updateData({ idempotencyKey, message });
      if (error instanceof WecomRateLimitError) {
        consecutiveRateLimits += 1;
        const pause = Math.min(maxPause, basePause * 2 ** (consecutiveRateLimits - 1));
        options.logger?.warn({ jobId: job.id, errcode: error.errcode, pauseMs: pause }, 'wecom rate limit; pausing the outbox');
        // The job goes back to waiting without using up an attempt, and no worker takes jobs until the pause ends.
        await rateLimiter.rateLimit(pause);
        throw Worker.RateLimitError();
      }
      if (!isTransientWecomError(error)) {
        options.logger?.error({ jobId: job.id, err: error }, 'outbox message rejected by wecom; not retrying');
        throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
      }
      options.logger?.warn({ jobId: job.id, attempt: job.attemptsMade + 1, err: error }, 'outbox send failed; will retry');
      throw error;
    }
    consecutiveRateLimits = 0;
    await ledger.markSent(idempotencyKey, { jobId: job.id, ...result });
    if (result.invalidUser || result.invalidParty || result.invalidTag || result.unlicensedUser || result.invalidUsers) {
      // WeChat Work accepted the message but skipped these recipients; retrying would not reach them.
      options.logger?.warn({ jobId: job.id, invalidUser: result.invalidUser, invalidParty: result.invalidParty, invalidTag: result.invalidTag, unlicensedUser: result.unlicensedUser, invalidUsers: result.invalidUsers }, 'wecom skipped some recipients');
    }
    return result;
  };

  const worker = new Worker<OutboxJobData, OutboxJobResult>(OUTBOX_QUEUE_NAME, processJob, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 4,
    limiter: { max: options.ratePerMinute, duration: 60_000 },
    ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
    ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
  });
  worker.on('error', (error) => options.logger?.error({ err: error }, 'outbox worker error'));

  return {
    worker,
    async close(force = false) {
      await worker.close(force);
      await rateLimiter.close();
    },
  };
}
