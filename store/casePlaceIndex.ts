import type { Model } from 'mongoose';
import type { DuplicateFacts, DuplicateRule } from '../src/cases';
import { duplicateFilingKeys, duplicateLookupKeys } from './duplicatePlaceKeys';
import { insertPlainUnlessPresent } from './caseStoreErrors';
import type { CaseKeyDoc } from './models/caseKeys';

/**
 * Open-case candidates by place, read by `_id` only. Each filing key holds a chain of slots
 * (`key#0`, `key#1`, …), one case each, claimed by unique insert: atomic on FerretDB v1 too,
 * where a read-modify-write of one shared list could lose a case. Chains stay short: a report at a
 * place whose case is still open is merged into it, not filed.
 */
export class CasePlaceIndex {
  static readonly MAX_SLOTS = 64;

  constructor(private readonly keys: Model<CaseKeyDoc>) {}

  /** Files `caseId` under every key of `facts`; filing the same case again changes nothing. */
  async file(districtId: string, caseId: string, facts: DuplicateFacts): Promise<void> {
    await Promise.all(duplicateFilingKeys(facts).map((key) => this.fileUnder(`${districtId}|${key}`, caseId, facts.createdAt)));
  }

  /** Ids of the cases filed under any key a duplicate of `facts` could have; the caller judges them. */
  async candidates(districtId: string, facts: DuplicateFacts, rule: DuplicateRule): Promise<string[]> {
    const found = await Promise.all(duplicateLookupKeys(facts, rule).map((key) => this.chain(`${districtId}|${key}`)));
    return [...new Set(found.flat())];
  }

  /**
   * Deletes keys filed before `filedBefore` (see `placeKeysUnreadBefore`). One range delete: on
   * FerretDB it reads the whole collection, which pruning keeps to a few days of keys.
   */
  async prune(filedBefore: Date): Promise<number> {
    const result = await this.keys.deleteMany({ filedAt: { $lt: filedBefore } }).exec();
    return result.deletedCount;
  }

  // `filedAt` is the case's creation time, which lies in the key's bucket: pruning goes by it.
  private async fileUnder(key: string, caseId: string, createdAt: Date): Promise<void> {
    for (let slot = 0; slot < CasePlaceIndex.MAX_SLOTS; slot++) {
      if (await insertPlainUnlessPresent(this.keys, { _id: `${key}#${slot}`, caseId, filedAt: createdAt })) return;
      const holder = await this.keys.findById(`${key}#${slot}`).lean<CaseKeyDoc>().exec();
      if (holder?.caseId === caseId) return;
    }
    // Sixty-four open cases at one place in one bucket: the case is still stored and handled,
    // it is only not offered as a duplicate target under this key.
  }

  private async chain(key: string): Promise<string[]> {
    const ids: string[] = [];
    for (let slot = 0; slot < CasePlaceIndex.MAX_SLOTS; slot++) {
      const doc = await this.keys.findById(`${key}#${slot}`).lean<CaseKeyDoc>().exec();
      if (!doc) break;
      ids.push(doc.caseId);
    }
    return ids;
  }
}
