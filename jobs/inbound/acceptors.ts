import type { RedisClient } from '../../infra/redis';
import type { InboundEvent } from '../../bots/wecom/events';
import type { InboundAcceptor } from '../../bots/wecom/inboundPorts';
import type { InboundEventStore } from './eventStore';
import { MicroBatch } from './microBatch';
import type { InboundQueue } from './queue';

/**
 * Records the event in MongoDB first, then queues it. Simple to reason about, but every callback
 * waits for a MongoDB write (FerretDB v1 manages a few hundred a second).
 *
 * A retry is queued again on purpose: if we crashed between the insert and the add, this is what
 * recovers the event; when the job already exists the add is a no-op (jobId = dedupe key).
 */
export class StoreFirstAcceptor implements InboundAcceptor {
  constructor(
    private readonly store: InboundEventStore,
    private readonly queue: InboundQueue,
  ) {}

  async accept(event: InboundEvent): Promise<'new' | 'duplicate'> {
    const isNew = await this.store.insertIfAbsent(event);
    await this.queue.enqueue(event);
    return isNew ? 'new' : 'duplicate';
  }
}

/**
 * Queues the event only; the BullMQ job in Redis (AOF on, noeviction) is the durable record and
 * the worker writes MongoDB. Beside the add goes a seen-marker (SET NX) that only tells new from
 * retry for the logs: the add runs either way, so no crash can leave a marker without a job, and
 * the worker's claim makes a repeat do nothing.
 *
 * Callbacks arriving in the same event-loop turn are written together (one pipeline of markers,
 * one job for all of them); each request is answered only after its job is in Redis.
 */
export class QueueFirstAcceptor implements InboundAcceptor {
  private readonly batch: MicroBatch<InboundEvent, boolean>;

  constructor(
    private readonly queue: InboundQueue,
    private readonly redis: RedisClient,
  ) {
    this.batch = new MicroBatch((events) => this.write(events));
  }

  async accept(event: InboundEvent): Promise<'new' | 'duplicate'> {
    return (await this.batch.push(event)) ? 'new' : 'duplicate';
  }

  private async write(events: InboundEvent[]): Promise<boolean[]> {
    const [only] = events;
    if (events.length === 1 && only) {
      // A lone callback: a plain command costs less than a one-item pipeline.
      const [set] = await Promise.all([this.redis.set(this.markerKey(only), '1', 'EX', this.queue.keepSeconds, 'NX'), this.queue.enqueueBatch(events)]);
      return [set === 'OK'];
    }
    const markers = this.redis.pipeline();
    for (const event of events) markers.set(this.markerKey(event), '1', 'EX', this.queue.keepSeconds, 'NX');
    const [results] = await Promise.all([markers.exec(), this.queue.enqueueBatch(events)]);
    return events.map((_, i) => {
      const [error, reply] = results?.[i] ?? [new Error('no reply for seen-marker'), null];
      if (error) throw error;
      return reply === 'OK';
    });
  }

  private markerKey(event: InboundEvent): string {
    return `${this.queue.seenKeyPrefix}${event.dedupeKey}`;
  }
}
