import { Queue, type ConnectionOptions } from 'bullmq';
import type { InboundEvent } from '../../bots/wecom/events';

export const INBOUND_QUEUE_NAME = 'wecom-inbound';
const DEFAULT_KEEP_SECONDS = 24 * 3600;

/** Redis key prefixes beside the queue: the gateway's seen-markers and the worker's claims. */
export function inboundKeyPrefixes(prefix: string, name = INBOUND_QUEUE_NAME): { seen: string; claim: string } {
  return { seen: `${prefix}:${name}:seen:`, claim: `${prefix}:${name}:claim:` };
}

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

/** How long the worker's claim on an event lasts: as long as a finished job's id is kept by default. */
export const INBOUND_CLAIM_SECONDS = DEFAULT_KEEP_SECONDS;

/**
 * One job carries the callbacks the gateway accepted in one event-loop turn: one BullMQ add per
 * batch instead of one per callback. Jobs queued before batching carry a single `event`.
 */
export type InboundJobData = { events: InboundEvent[]; receivedAt: number } | { event: InboundEvent; receivedAt: number };

export function eventsOf(data: InboundJobData): InboundEvent[] {
  return 'events' in data ? data.events : [data.event];
}

/**
 * The inbound queue. A lone event's job has the event's dedupe key as jobId, so a retry while it
 * is still kept is ignored at `add`; any other repeat (a retry in a batch) is skipped by the worker,
 * where the first job to reach an event claims it (`claims.ts`).
 */
export class InboundQueue {
  readonly queue: Queue<InboundJobData>;
  /** Seconds a finished job's id is remembered. */
  readonly keepSeconds: number;
  /** Redis key prefix for the gateway's seen-markers, inside this queue's namespace. */
  readonly seenKeyPrefix: string;

  constructor(options: InboundQueueOptions) {
    const keep = options.keepFinishedSeconds ?? DEFAULT_KEEP_SECONDS;
    this.keepSeconds = keep;
    this.seenKeyPrefix = inboundKeyPrefixes(options.prefix, options.name).seen;
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
    await this.enqueueBatch([event], receivedAt);
  }

  /** Queues the events as one job (repeats of one event within the batch dropped). */
  async enqueueBatch(events: readonly InboundEvent[], receivedAt = Date.now()): Promise<void> {
    const unique = [...new Map(events.map((event) => [event.dedupeKey, event])).values()];
    const [only] = unique;
    if (!only) return;
    if (unique.length === 1) await this.queue.add(only.type, { events: unique, receivedAt }, { jobId: only.dedupeKey });
    else await this.queue.add('batch', { events: unique, receivedAt });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
