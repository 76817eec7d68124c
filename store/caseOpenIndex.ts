import type { Model } from 'mongoose';
import { OPEN_CASE_STATES, type Case } from '../src/cases';
import { insertPlainUnlessPresent } from './caseStoreErrors';
import type { CaseKeyDoc } from './models/caseKeys';

export function isOpen(c: Pick<Case, 'state'>): boolean {
  return OPEN_CASE_STATES.includes(c.state);
}

/**
 * The open cases, one key document per case (`_id` = the case's id): what the deadline sweeper
 * walks instead of a query by state, which FerretDB v1 answers by reading every stored case (the
 * closed years too). A key is filed before a case opens and deleted after it closed, so a crash in
 * between leaves at worst a key too many; the walk drops keys whose case is missing or closed.
 */
export class CaseOpenIndex {
  constructor(private readonly keys: Model<CaseKeyDoc>) {}

  async file(caseId: string, at: Date): Promise<void> {
    await insertPlainUnlessPresent(this.keys, { _id: caseId, caseId, filedAt: at });
  }

  async remove(caseId: string): Promise<void> {
    await this.keys.deleteOne({ _id: caseId }).exec();
  }

  /** Every filed id, a page at a time (reads the keys only: proportional to the open cases). */
  async *ids(pageSize: number): AsyncGenerator<string[]> {
    let page: string[] = [];
    for await (const key of this.keys.find({}, { _id: 1 }).lean<Pick<CaseKeyDoc, '_id'>>().cursor({ batchSize: Math.max(pageSize, 1000) })) {
      page.push(key._id);
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }
}
