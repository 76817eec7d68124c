import { Schema, type Connection, type Model } from 'mongoose';

export type InboundEventStatus = 'received' | 'handled';

/** One WeChat Work callback, stored once per dedupe key however often WeChat Work retries it. */
export interface InboundEventDoc {
  /**
   * The event's dedupe key (`msg-<MsgId>` or `evt-<hash>`). It is the `_id` because FerretDB v1
   * (SQLite) hands only a filter on `_id` alone to its backend: any other filter, even `_id` plus
   * another field, reads the whole collection.
   */
  _id: string;
  type: string;
  fromUser: string;
  createTime: number;
  agentId?: number;
  /** The normalised event as the app consumes it. */
  payload: Record<string, unknown>;
  status: InboundEventStatus;
  receivedAt: Date;
  handledAt?: Date;
}

const inboundEventSchema = new Schema<InboundEventDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    fromUser: { type: String, required: true, index: true },
    createTime: { type: Number, required: true },
    agentId: Number,
    payload: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: ['received', 'handled'], required: true },
    receivedAt: { type: Date, required: true },
    handledAt: Date,
  },
  { versionKey: false, collection: 'inbound_events', minimize: false },
);

export function inboundEventModel(connection: Connection): Model<InboundEventDoc> {
  return (connection.models.InboundEvent as Model<InboundEventDoc> | undefined) ?? connection.model<InboundEventDoc>('InboundEvent', inboundEventSchema);
}
