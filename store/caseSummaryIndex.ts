import type { Connection, Model } from 'mongoose';
import type { Logger } from '../infra/logger';
import { summarise, type CaseSummary } from '../src/console/summary';
import { caseFromDoc } from './caseMapping';
import type { CaseSummaryFeed } from './caseSummaryFeed';
import { caseModel, type CaseDoc } from './models/case';

export type SummaryListener = (summary: CaseSummary) => void;

/** How long a finished case stays among the board's "recent" cases after it was reported or finished. */
const RECENT_MS = 48 * 3_600_000;

function touchedAt(c: CaseSummary): number {
  return Math.max(c.createdAt.getTime(), c.closedAt?.getTime() ?? 0);
}

/**
 * The command centre's read model: a summary of every case of the district, in memory, loaded
 * once from the store (without timelines) and kept current by the case feed. FerretDB v1 filters
 * anything but `_id` in Go over the whole collection, so the board and the case list cannot ask
 * the store; at 100,000 cases the summaries take ~100 MB and a scan of them a few milliseconds.
 */
export class CaseSummaryIndex {
  private readonly byId = new Map<string, CaseSummary>();
  private readonly openById = new Map<string, CaseSummary>();
  /** Finished cases not yet pruned as older than `RECENT_MS` before a board's day start. */
  private readonly recentFinished = new Map<string, CaseSummary>();
  /** Finished cases touched before this instant were pruned from `recentFinished`. */
  private prunedBefore = Number.NEGATIVE_INFINITY;
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
    if (summary.open) {
      this.openById.set(summary.id, summary);
      this.recentFinished.delete(summary.id);
    } else {
      this.openById.delete(summary.id);
      if (touchedAt(summary) >= this.prunedBefore) this.recentFinished.set(summary.id, summary);
      else this.recentFinished.delete(summary.id);
    }
    return true;
  }

  all(): IterableIterator<CaseSummary> {
    return this.byId.values();
  }

  /** The open cases only (a tenth of a district's years of cases). */
  open(): IterableIterator<CaseSummary> {
    return this.openById.values();
  }

  /**
   * Every open case and every finished case reported or finished at or after `since` (what the
   * board counts), without walking the finished years: those are pruned once older than `RECENT_MS` before `since`.
   */
  *openOrTouchedSince(since: Date): Generator<CaseSummary> {
    const from = since.getTime();
    if (from < this.prunedBefore) {
      // An earlier day than any board asked for so far: only a full walk knows it.
      for (const c of this.byId.values()) if (c.open || touchedAt(c) >= from) yield c;
      return;
    }
    yield* this.openById.values();
    const horizon = from - RECENT_MS;
    for (const [id, c] of this.recentFinished) {
      const at = touchedAt(c);
      if (at < horizon) this.recentFinished.delete(id);
      else if (at >= from) yield c;
    }
    this.prunedBefore = Math.max(this.prunedBefore, horizon);
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
