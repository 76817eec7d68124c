import type { Connection, Model } from 'mongoose';
import { caseCounterId, duplicateFacts, type Case } from '../src/cases';
import type { Elapsed } from '../src/stats/figures';
import { caseToDoc } from './caseMapping';
import { isOpen } from './caseOpenIndex';
import type { CaseStatsRollup, RollupTotals } from './caseStatsRollup';
import { duplicateFilingKeys } from './duplicatePlaceKeys';
import { caseModel, type CaseDoc } from './models/case';
import { caseNumberKeyModel, caseOpenKeyModel, casePlaceKeyModel, caseReporterKeyModel, type CaseKeyDoc } from './models/caseKeys';
import { counterModel, type CounterDoc } from './models/counter';

/**
 * A district's older cases written into an EMPTY store in bulk, with everything `create` and the
 * later commands would have filed for them: number, place (open cases), reporter and open-case keys,
 * the case-number and reporter counters, the figures' day documents, and the markers that tell the
 * one-time filings there is nothing left to file. Nothing else may write to the store meanwhile
 * (slots and counters are assigned in memory). For imports of history and for benches: a million
 * cases in minutes, where the one-time filings at a worker's start take hours on FerretDB v1.
 */
export class CaseHistoryImport {
  private readonly cases: Model<CaseDoc>;
  private readonly counters: Model<CounterDoc>;
  private readonly keys: { numbers: Model<CaseKeyDoc>; places: Model<CaseKeyDoc>; reporters: Model<CaseKeyDoc>; open: Model<CaseKeyDoc> };
  private readonly reporterSeq = new Map<string, number>();
  private readonly numberSeq = new Map<string, number>();
  private readonly placeSlots = new Map<string, number>();
  private readonly totals: RollupTotals = new Map();
  private checked = false;
  private imported = 0;

  constructor(connection: Connection, private readonly rollup: CaseStatsRollup, private readonly markers: readonly string[], private readonly elapsed?: Elapsed) {
    this.cases = caseModel(connection);
    this.counters = counterModel(connection);
    this.keys = { numbers: caseNumberKeyModel(connection), places: casePlaceKeyModel(connection), reporters: caseReporterKeyModel(connection), open: caseOpenKeyModel(connection) };
  }

  /** Writes one batch (a few thousand cases at a time; ordered by creation within a reporter for 我的上报's order). */
  async add(batch: readonly Case[]): Promise<void> {
    if (!this.checked) {
      if (await this.cases.exists({}).exec()) throw new Error('a history import needs an empty store (its keys and counters are assigned in memory)');
      this.checked = true;
    }
    const numbers: CaseKeyDoc[] = [];
    const places: CaseKeyDoc[] = [];
    const reporters: CaseKeyDoc[] = [];
    const open: CaseKeyDoc[] = [];
    for (const c of batch) {
      numbers.push({ _id: `${c.districtId}|${c.number}`, caseId: c.id, filedAt: c.createdAt });
      const [year, seq] = c.number.split('-').map(Number) as [number, number];
      const counter = caseCounterId(c.districtId, year);
      this.numberSeq.set(counter, Math.max(this.numberSeq.get(counter) ?? 0, seq));
      const reporterId = c.reporter?.userId ?? c.reporter?.openid;
      if (reporterId !== undefined) {
        const n = (this.reporterSeq.get(reporterId) ?? 0) + 1;
        this.reporterSeq.set(reporterId, n);
        reporters.push({ _id: `${reporterId}#${n}`, caseId: c.id, filedAt: c.createdAt });
      }
      if (isOpen(c)) {
        open.push({ _id: c.id, caseId: c.id, filedAt: c.createdAt });
        for (const key of duplicateFilingKeys(duplicateFacts(c))) {
          const id = `${c.districtId}|${key}`;
          const slot = this.placeSlots.get(id) ?? 0;
          this.placeSlots.set(id, slot + 1);
          places.push({ _id: `${id}#${slot}`, caseId: c.id, filedAt: c.createdAt });
        }
      }
      this.rollup.addTo(this.totals, c);
    }
    // Straight to the driver: mongoose's casting costs several times the insert at this size.
    await Promise.all([
      this.cases.collection.insertMany(batch.map((c) => caseToDoc(c, this.elapsed)) as never[], { ordered: false }),
      ...[[this.keys.numbers, numbers], [this.keys.places, places], [this.keys.reporters, reporters], [this.keys.open, open]].map(([model, docs]) =>
        (docs as CaseKeyDoc[]).length > 0 ? (model as Model<CaseKeyDoc>).collection.insertMany(docs as never[], { ordered: false }) : undefined,
      ),
    ]);
    this.imported += batch.length;
  }

  /** The counters, the figures and the markers; returns how many cases were imported. */
  async finish(): Promise<number> {
    const counters: CounterDoc[] = [
      ...[...this.numberSeq].map(([_id, seq]) => ({ _id, seq })),
      ...[...this.reporterSeq].map(([reporterId, seq]) => ({ _id: `reporter|${reporterId}`, seq })),
      ...this.markers.map((_id) => ({ _id, seq: this.imported })),
    ];
    for (let i = 0; i < counters.length; i += 1000) await this.counters.collection.insertMany(counters.slice(i, i + 1000) as never[], { ordered: false });
    await this.rollup.replaceAll(this.totals);
    return this.imported;
  }
}
