import { Queue, type ConnectionOptions } from 'bullmq';
import type { InboundEvent } from '../../bots/wecom/events';

export const INBOUND_QUEUE_NAME = 'wecom-inbound';

export interface InboundQueueOptions {
  connection: ConnectionOptions;
  /** BullMQ key prefix (QUEUE_PREFIX). */
  prefix: string;
  name?: string;
  /**
   * How long a finished job (and so its jobId) is kept. WeChat Work retries within seconds, so a
   * day of memory makes a retry a no-op at `add` time; the store catches anything later.
   */
  keepFinishedSeconds?: number;
}

export interface InboundJobData {
  event: InboundEvent;
  /** When our gateway accepted it (ms since epoch). */
  receivedAt: number;
}

/**
 * The inbound queue. `enqueue` is idempotent: the jobId is the event's dedupe key, and BullMQ
 * ignores an add whose jobId already exists.
 */
export class InboundQueue {
  readonly queue: Queue<InboundJobData>;
  /** Seconds a finished job's id is remembered. */
  readonly keepSeconds: number;
  /** Redis key prefix for the gateway's seen-markers, inside this queue's namespace. */
  readonly seenKeyPrefix: string;

  constructor(options: InboundQueueOptions) {
    const keep = options.keepFinishedSeconds ?? 24 * 3600;
    this.keepSeconds = keep;
    this.seenKeyPrefix = `${options.prefix}:${options.name ?? INBOUND_QUEUE_NAME}:seen:`;
    this.queue = new Queue<InboundJobData>(options.name ?? INBOUND_QUEUE_NAME, {
      connection: options.connection,
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: 8,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: keep },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
  }

  async enqueue(event: InboundEvent, receivedAt = Date.now()): Promise<void> {
    await this.queue.add(event.type, { event, receivedAt }, { jobId: event.dedupeKey });
  }

  /** Adds several events in one round trip (a MULTI of BullMQ's add scripts); same idempotence. */
  async enqueueMany(events: InboundEvent[], receivedAt = Date.now()): Promise<void> {
    await this.queue.addBulk(events.map((event) => ({ name: event.type, data: { event, receivedAt }, opts: { jobId: event.dedupeKey } })));
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
