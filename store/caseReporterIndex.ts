import type { Model } from 'mongoose';
import { insertPlainUnlessPresent } from './caseStoreErrors';
import { nextInSequence } from './counters';
import type { CaseKeyDoc } from './models/caseKeys';
import type { CounterDoc } from './models/counter';
import type { KeyedSerial } from './keyedSerial';

/**
 * A reporter's cases, newest first, read by `_id` only (我的上报, the mini-program's case list): a
 * counter per reporter and one key per case (`<reporter>#1`, `#2`, …). A query by reporter would
 * read the whole collection on FerretDB v1.
 */
export class CaseReporterIndex {
  constructor(private readonly counters: Model<CounterDoc>, private readonly increments: KeyedSerial, private readonly keys: Model<CaseKeyDoc>) {}

  async file(reporterId: string, caseId: string, at: Date): Promise<void> {
    const seq = await nextInSequence(this.counters, this.increments, counterId(reporterId));
    await insertPlainUnlessPresent(this.keys, { _id: `${reporterId}#${seq}`, caseId, filedAt: at });
  }

  /** Ids of the reporter's latest `limit` cases, newest filed first (each once); undefined when none was ever filed. */
  async latest(reporterId: string, limit: number): Promise<string[] | undefined> {
    const counter = await this.counters.findById(counterId(reporterId)).lean<CounterDoc>().exec();
    if (!counter) return undefined;
    const slots = Array.from({ length: Math.min(limit, counter.seq) }, (_, i) => `${reporterId}#${counter.seq - i}`);
    const keys = await Promise.all(slots.map((id) => this.keys.findById(id).lean<CaseKeyDoc>().exec()));
    return [...new Set(keys.flatMap((k) => (k ? [k.caseId] : [])))];
  }
}

function counterId(reporterId: string): string {
  return `reporter|${reporterId}`;
}
