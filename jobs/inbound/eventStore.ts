import type { Connection, Model } from 'mongoose';
import type { InboundEvent } from '../../bots/wecom/events';
import { insertPlainUnlessPresent, isDuplicateKeyError } from '../../store/caseStoreErrors';
import { inboundEventModel, type InboundEventDoc } from '../../store/models/inboundEvent';

/**
 * The durable record of inbound events in MongoDB, keyed by `_id` = dedupe key. Insert-if-absent
 * is an upsert with `$setOnInsert`, read through `upsertedCount`: on FerretDB v1 a duplicate-key
 * error looks different (code 1, no keyValue), so the normal path never relies on catching one.
 */
export class InboundEventStore {
  private readonly model: Model<InboundEventDoc>;

  constructor(connection: Connection) {
    this.model = inboundEventModel(connection);
  }

  /** True when the event was new; false when a retry of it was stored before. */
  async insertIfAbsent(event: InboundEvent, receivedAt = new Date()): Promise<boolean> {
    try {
      const result = await this.model.updateOne(
        { _id: event.dedupeKey },
        { $setOnInsert: { ...recordOf(event, receivedAt), status: 'received' } },
        { upsert: true },
      );
      return result.upsertedCount === 1;
    } catch (error) {
      // Two concurrent retries can both try the insert; the primary key makes the loser fail.
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /**
   * Marks the event handled, creating its record if the gateway did not (queue-first). The usual
   * case has no record yet, so it is tried as an insert, whose cost does not grow with the
   * collection on FerretDB v1 (SQLite), where an update, upsert or not, reads every document. A
   * record already there (store-first, or a retry after a crash) is then updated.
   */
  async recordHandled(event: InboundEvent, receivedAt: Date, handledAt = new Date()): Promise<void> {
    if (await insertPlainUnlessPresent(this.model, { _id: event.dedupeKey, ...recordOf(event, receivedAt), status: 'handled', handledAt })) return;
    await this.model.updateOne({ _id: event.dedupeKey }, { $set: { status: 'handled', handledAt } });
  }

  /**
   * True when the worker has already dispatched this event to its listeners. Looked up by `_id`
   * alone and the status compared here: FerretDB v1 (SQLite) hands only a lone `_id` filter to
   * SQLite; `{ _id, status }` decoded every document in Go, on every job (about a second per call
   * at 5,000 events).
   */
  async isHandled(key: string): Promise<boolean> {
    const doc = await this.model.findById(key, { status: 1 }).lean<Pick<InboundEventDoc, '_id' | 'status'>>().exec();
    return doc?.status === 'handled';
  }

  async findByKey(key: string): Promise<InboundEventDoc | null> {
    return this.model.findOne({ _id: key }).lean<InboundEventDoc>().exec();
  }

  async count(): Promise<number> {
    return this.model.countDocuments().exec();
  }
}

function recordOf(event: InboundEvent, receivedAt: Date): Omit<InboundEventDoc, '_id' | 'status' | 'handledAt'> {
  return {
    type: event.type,
    fromUser: event.fromUser,
    createTime: event.createTime,
    agentId: event.agentId,
    payload: { ...event },
    receivedAt,
  };
}
