import type { Connection, Model } from 'mongoose';
import { isDuplicateKeyError } from './caseStoreErrors';
import { hotlineOrderModel, type HotlineOrderDoc } from './models/hotlineOrder';

/** How the case was handled when it was created (the report's outcome in `commands/submitReport.ts`). */
export type HotlineOutcome = 'whistled' | 'triage' | 'community' | 'merged';

/** One attempt at creating the case of a 12345 work order (the stored document without its storage fields). */
export type HotlineOrderRecord = Omit<HotlineOrderDoc, '_id' | 'outcome' | 'completedAt'> & { outcome?: HotlineOutcome };

const OUTCOMES: readonly string[] = ['whistled', 'triage', 'community', 'merged'] satisfies HotlineOutcome[];

function isOutcome(value: string | undefined): value is HotlineOutcome {
  return value !== undefined && OUTCOMES.includes(value);
}

function recordOf(doc: HotlineOrderDoc): HotlineOrderRecord {
  const { _id, outcome, completedAt, ...rest } = doc;
  const fields = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && v !== null)) as Omit<HotlineOrderRecord, 'outcome'>;
  return { ...fields, ...(isOutcome(outcome) && { outcome }) };
}

/** Hotline work orders in MongoDB/FerretDB: one document per attempt, claimed by a unique `_id` insert. */
export class HotlineOrderRepository {
  private readonly orders: Model<HotlineOrderDoc>;

  constructor(connection: Connection) {
    this.orders = hotlineOrderModel(connection);
  }

  static id(record: Pick<HotlineOrderRecord, 'districtId' | 'orderNo' | 'attempt'>): string {
    return `${record.districtId}:${record.orderNo}#${record.attempt}`;
  }

  async ensureIndexes(): Promise<void> {
    await this.orders.createIndexes();
  }

  async latest(districtId: string, orderNo: string): Promise<HotlineOrderRecord | null> {
    const doc = await this.orders.findOne({ districtId, orderNo }).sort({ attempt: -1 }).lean<HotlineOrderDoc>().exec();
    return doc ? recordOf(doc) : null;
  }

  /** The order a case was created for (the latest attempt that recorded it), if any. */
  async byCase(caseId: string): Promise<HotlineOrderRecord | null> {
    const doc = await this.orders.findOne({ caseId }).sort({ attempt: -1 }).lean<HotlineOrderDoc>().exec();
    return doc ? recordOf(doc) : null;
  }

  async claim(record: HotlineOrderRecord): Promise<boolean> {
    try {
      await this.orders.create({ ...record, _id: HotlineOrderRepository.id(record) });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  // Only the request that claimed an attempt writes to it, so a plain update by `_id` is safe.
  async recordCase(record: HotlineOrderRecord, stored: { caseId: string; number: string }): Promise<HotlineOrderRecord> {
    await this.orders.updateOne({ _id: HotlineOrderRepository.id(record) }, { $set: stored }).exec();
    return { ...record, ...stored };
  }

  async recordOutcome(record: HotlineOrderRecord, outcome: HotlineOutcome): Promise<HotlineOrderRecord> {
    await this.orders.updateOne({ _id: HotlineOrderRepository.id(record) }, { $set: { outcome, completedAt: new Date() } }).exec();
    return { ...record, outcome };
  }

  async release(record: HotlineOrderRecord): Promise<void> {
    await this.orders.deleteOne({ _id: HotlineOrderRepository.id(record), caseId: { $exists: false } }).exec();
  }
}
