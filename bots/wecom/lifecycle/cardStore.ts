import { Schema, type Connection, type Model } from 'mongoose';
import { insertPlainUnlessPresent } from '../../../store/caseStoreErrors';
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

/** Cards this process recorded, kept to answer their taps without a read: the most recent this many. */
export const RECORDED_CARDS_KEPT = 20_000;

/**
 * Task id → card, so a tap can be mapped back to its case, department and purpose. A record never
 * changes once stored, so the ones this process stored itself are kept (the most recent
 * `RECORDED_CARDS_KEPT`) and their taps read nothing; any other card is read from the store.
 */
export class CardStore {
  private readonly model: Model<CardDoc>;
  private readonly recorded = new Map<string, CardRecord>();

  constructor(
    connection: Connection,
    private readonly kept = RECORDED_CARDS_KEPT,
  ) {
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
    // Kept only when this insert stored it: a record already there is the first one, which may differ.
    if (await insertPlainUnlessPresent(this.model, { _id: taskId, ...fields })) this.keep(card);
  }

  async find(taskId: string): Promise<CardRecord | null> {
    const kept = this.recorded.get(taskId);
    if (kept) return kept;
    const doc = await this.model.findById(taskId).lean<CardDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  private keep(card: CardRecord): void {
    this.recorded.set(card.taskId, card);
    if (this.recorded.size > this.kept) this.recorded.delete(this.recorded.keys().next().value as string);
  }
}
