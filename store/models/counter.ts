import { Schema, type Connection, type Model } from 'mongoose';

/** A named sequence, e.g. `case:<district>:<year>` for case numbers; `seq` is the last value handed out. */
export interface CounterDoc {
  _id: string;
  seq: number;
}

const counterSchema = new Schema<CounterDoc>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true, default: 0 },
  },
  { versionKey: false, collection: 'counters' },
);

export function counterModel(connection: Connection): Model<CounterDoc> {
  return (connection.models.Counter as Model<CounterDoc> | undefined) ?? connection.model<CounterDoc>('Counter', counterSchema);
}
