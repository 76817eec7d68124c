import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { OutboundMessage } from '../../bots/wecom/messages';
import type { RedisClient } from '../../infra/redis';
import { MemberOrder, orderedMembersOf } from './memberOrder';
import { OUTBOX_JOB_NAME, OUTBOX_QUEUE_NAME, outboxJobId } from './names';

export interface OutboxJobData {
  idempotencyKey: string;
  message: OutboundMessage;
  /** Set by the worker: the send time this job reserved for its group robot or members (epoch ms). */
  slotAt?: number;
  /** The same, as jobs queued before members were paced carry it. */
  robotSlotAt?: number;
  /**
   * A digest job (queued by the worker): sends the member's messages merged into the digest of
   * slot `at`; `message` is then the first of them, for whoever inspects the queue.
   */
  digest?: { userId: string; at: number };
}

export interface OutboxQueueOptions {
  connection: ConnectionOptions;
  /** Where the members' lines are kept (the process's Redis): a message takes its place in them as it is queued. */
  redis: RedisClient;
  /** QUEUE_PREFIX (tests: a private prefix). */
  prefix: string;
  /** Attempts for transient failures (network, 5xx, busy); rate limits do not use them up. */
  attempts?: number;
  /** First retry delay; doubles each attempt. */
  backoffMs?: number;
}

export interface Outbox {
  readonly queue: Queue<OutboxJobData>;
  /**
   * Queues a message; the same idempotency key queued again (while its job exists) is the same job. Once
   * this resolves, the message goes out to each of its members (`touser`) after everything queued to them before.
   */
  enqueueOutbound(message: OutboundMessage, idempotencyKey: string): Promise<{ jobId: string }>;
  close(): Promise<void>;
}

/** Attempts, backoff and retention of every outbox job (digest jobs included). */
export function outboxJobOptions(options: Pick<OutboxQueueOptions, 'attempts' | 'backoffMs'> = {}): JobsOptions {
  return {
    attempts: options.attempts ?? 8,
    backoff: { type: 'exponential', delay: options.backoffMs ?? 2_000 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

export function createOutbox(options: OutboxQueueOptions): Outbox {
  const queue = new Queue<OutboxJobData>(OUTBOX_QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
  const jobOptions = outboxJobOptions(options);
  // The lease is the worker's business; registering never reads it.
  const order = new MemberOrder(options.redis, options.prefix, queue, 0);
  return {
    queue,
    async enqueueOutbound(message, idempotencyKey) {
      const jobId = outboxJobId(idempotencyKey);
      await queue.add(OUTBOX_JOB_NAME, { idempotencyKey, message }, { ...jobOptions, jobId });
      // After the job exists: a producer dying in between leaves no place without a job (the worker
      // places a job it finds unplaced at the end of its lines).
      await order.register(jobId, orderedMembersOf(message));
      return { jobId };
    },
    close: () => queue.close(),
  };
}
