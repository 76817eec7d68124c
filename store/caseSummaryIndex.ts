import type { Connection, Model } from 'mongoose';
import type { Logger } from '../infra/logger';
import { summarise, type CaseSummary } from '../src/console/summary';
import { caseFromDoc } from './caseMapping';
import type { CaseSummaryFeed } from './caseSummaryFeed';
import { caseModel, type CaseDoc } from './models/case';

export type SummaryListener = (summary: CaseSummary) => void;

/**
 * The command centre's read model: a summary of every case of the district, in memory, loaded
 * once from the store (without timelines) and kept current by the case feed. FerretDB v1 filters
 * anything but `_id` in Go over the whole collection, so the board and the case list cannot ask
 * the store; at 100,000 cases the summaries take ~100 MB and a scan of them a few milliseconds.
 */
export class CaseSummaryIndex {
  private readonly byId = new Map<string, CaseSummary>();
  private readonly listeners = new Set<SummaryListener>();
  private readonly cases: Model<CaseDoc>;
  private loading: Promise<void> | undefined;

  constructor(connection: Connection, private readonly feed: CaseSummaryFeed, private readonly districtId: string, private readonly logger?: Logger) {
    this.cases = caseModel(connection);
  }

  /** Subscribes to the feed first (so no change is missed), then loads every case. */
  start(): Promise<void> {
    this.loading ??= (async () => {
      await this.feed.subscribe((s) => this.apply(s), () => void this.reload());
      await this.reload();
    })();
    return this.loading;
  }

  /** Resolves once the first load finished. */
  ready(): Promise<void> {
    return this.start();
  }

  private async reload(): Promise<void> {
    const started = Date.now();
    let count = 0;
    const cursor = this.cases.find({}, { timeline: 0 }).lean<CaseDoc>().cursor({ batchSize: 2000 });
    for await (const doc of cursor) {
      if (doc.districtId !== this.districtId) continue;
      this.keep(summarise({ ...caseFromDoc({ ...doc, timeline: [] }) }));
      count += 1;
    }
    this.logger?.info({ cases: count, ms: Date.now() - started }, 'console read model loaded');
  }

  /** A newer version replaces an older one; a late, older message changes nothing. */
  apply(summary: CaseSummary): void {
    if (summary.districtId !== this.districtId) return;
    if (!this.keep(summary)) return;
    for (const listener of this.listeners) listener(summary);
  }

  private keep(summary: CaseSummary): boolean {
    const current = this.byId.get(summary.id);
    if (current && current.version > summary.version) return false;
    this.byId.set(summary.id, summary);
    return true;
  }

  all(): IterableIterator<CaseSummary> {
    return this.byId.values();
  }

  get(id: string): CaseSummary | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  onChange(listener: SummaryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
