import { Schema, type Connection, type Model } from 'mongoose';
import { insertUnlessPresent } from '../../../store/caseStoreErrors';
import type { CardRecord } from './cardKinds';

type CardDoc = Omit<CardRecord, 'taskId'> & { _id: string };

const cardSchema = new Schema<CardDoc>(
  {
    _id: String,
    kind: String,
    caseId: { type: String, index: true },
    caseNumber: String,
    deptCode: String,
    assignmentIndex: Number,
    timelineLength: Number,
    recipients: [String],
    createdAt: Date,
  },
  { versionKey: false, collection: 'lifecycle_cards' },
);

function toRecord(doc: CardDoc): CardRecord {
  const { _id, deptCode, assignmentIndex, ...rest } = doc;
  return { taskId: _id, ...rest, ...(deptCode != null && { deptCode }), ...(assignmentIndex != null && { assignmentIndex }) };
}

/** Task id → card, so a tap can be mapped back to its case, department and purpose. */
export class CardStore {
  private readonly model: Model<CardDoc>;

  constructor(connection: Connection) {
    this.model = (connection.models.LifecycleCard as Model<CardDoc> | undefined) ?? connection.model<CardDoc>('LifecycleCard', cardSchema);
  }

  /** Builds the indexes; call once at start-up. */
  async init(): Promise<void> {
    await this.model.init();
  }

  /**
   * Idempotent: recording the same task id again keeps the first record. An insert whose duplicate
   * is ignored rather than an upsert: on FerretDB v1 (SQLite) an update reads every document.
   */
  async record(card: CardRecord): Promise<void> {
    const { taskId, ...fields } = card;
    await insertUnlessPresent(this.model, { _id: taskId, ...fields });
  }

  async find(taskId: string): Promise<CardRecord | null> {
    const doc = await this.model.findById(taskId).lean<CardDoc>().exec();
    return doc ? toRecord(doc) : null;
  }
}
