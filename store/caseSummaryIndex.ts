import type { Connection, Model } from 'mongoose';
import type { Logger } from '../infra/logger';
import type { Scope } from '../src/console/access';
import type { Board } from '../src/console/board';
import { BoardTally } from '../src/console/boardTally';
import { CaseListIndex } from '../src/console/caseListIndex';
import type { CasePage, CaseQuery } from '../src/console/caseQuery';
import type { LightRule } from '../src/console/lights';
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
 * The board's open-case figures are kept in a `BoardTally` and the case list's postings in a
 * `CaseListIndex` as summaries change, so neither walks the open cases (100,000 of them in a
 * district's years) nor the finished ones (a million).
 */
export class CaseSummaryIndex {
  private readonly byId = new Map<string, CaseSummary>();
  private readonly openById = new Map<string, CaseSummary>();
  private readonly listeners = new Set<SummaryListener>();
  private readonly tally: BoardTally;
  private readonly list = new CaseListIndex();
  private readonly cases: Model<CaseDoc>;
  private loading: Promise<void> | undefined;
  private scanning: Promise<void> | undefined;
  /** Ids the feed changed while a store scan runs: not dropped as missing from the store. */
  private changedDuringScan: Set<string> | undefined;
  private closed = false;

  constructor(connection: Connection, private readonly feed: CaseSummaryFeed, private readonly districtId: string, private readonly logger?: Logger, lights?: LightRule) {
    this.cases = caseModel(connection);
    this.tally = new BoardTally(lights);
  }

  /**
   * Subscribes to the feed first (so no change is missed), then loads every case: from the Redis
   * snapshot when it is whole (seconds), checked against the store in the background; otherwise
   * from the store (minutes at 100,000 cases on the default store), filling the snapshot for next time.
   */
  start(): Promise<void> {
    this.loading ??= (async () => {
      await this.feed.subscribe((s) => this.apply(s), () => void this.rescan());
      if (await this.feed.isComplete()) {
        await this.loadSnapshot();
        this.rescan();
      } else {
        await this.scanStore();
      }
      this.tally.settle();
      this.list.settle();
    })();
    return this.loading;
  }

  /** Resolves once the first load finished. */
  ready(): Promise<void> {
    return this.start();
  }

  /** Resolves once the first load and the store scan begun after it finished (for tests and benches). */
  async scanned(): Promise<void> {
    await this.start();
    await this.scanning;
  }

  private rescan(): void {
    this.scanning = this.scanStore().catch((error: unknown) => this.logger?.error({ err: (error as Error).message }, 'console read model: the store scan failed; the board shows what the snapshot and the feed hold'));
  }

  private async loadSnapshot(): Promise<void> {
    const started = Date.now();
    for await (const page of this.feed.snapshot()) for (const summary of page) if (summary.districtId === this.districtId) this.keep(summary);
    this.logger?.info({ cases: this.byId.size, ms: Date.now() - started }, 'console read model loaded from the Redis snapshot; checking it against the store in the background');
  }

  /**
   * Reads every case of the store, keeps what is newer than the index holds, writes it to the
   * snapshot, and drops what the store no longer has (unless it changed while the scan ran).
   */
  private async scanStore(): Promise<void> {
    const started = Date.now();
    const seen = new Set<string>();
    this.changedDuringScan = new Set();
    let batch: CaseSummary[] = [];
    const cursor = this.cases.find({}, { timeline: 0 }).lean<CaseDoc>().cursor({ batchSize: 2000 });
    for await (const doc of cursor) {
      if (this.closed) return;
      if (doc.districtId !== this.districtId) continue;
      const summary = summarise(caseFromDoc({ ...doc, timeline: [] }));
      seen.add(summary.id);
      if (this.keep(summary)) for (const listener of this.listeners) listener(summary);
      batch.push(summary);
      if (batch.length >= 1000) {
        await this.feed.keep(batch);
        batch = [];
      }
    }
    await this.feed.keep(batch);
    const ghosts = [...this.byId.keys()].filter((id) => !seen.has(id) && !this.changedDuringScan?.has(id));
    for (const id of ghosts) this.drop(id);
    await this.feed.forget(ghosts);
    this.changedDuringScan = undefined;
    await this.feed.markComplete();
    this.logger?.info({ cases: seen.size, dropped: ghosts.length, ms: Date.now() - started }, 'console read model checked against the store');
  }

  /** Stops a store scan under way (at shutdown, before the store's connection closes). */
  async close(): Promise<void> {
    this.closed = true;
    await this.scanning;
  }

  private drop(id: string): void {
    const current = this.byId.get(id);
    this.tally.replace(current, undefined);
    this.list.replace(current, undefined);
    this.byId.delete(id);
    this.openById.delete(id);
  }

  /** A newer version replaces an older one; a late, older message changes nothing. */
  apply(summary: CaseSummary): void {
    if (summary.districtId !== this.districtId) return;
    this.changedDuringScan?.add(summary.id);
    if (!this.keep(summary)) return;
    for (const listener of this.listeners) listener(summary);
  }

  private keep(summary: CaseSummary): boolean {
    const current = this.byId.get(summary.id);
    if (current && current.version > summary.version) return false;
    this.tally.replace(current, summary);
    this.list.replace(current, summary);
    this.byId.set(summary.id, summary);
    if (summary.open) this.openById.set(summary.id, summary);
    else this.openById.delete(summary.id);
    return true;
  }

  all(): IterableIterator<CaseSummary> {
    return this.byId.values();
  }

  /** The open cases only (a tenth of a district's years of cases). */
  open(): IterableIterator<CaseSummary> {
    return this.openById.values();
  }

  /** The board a viewer with `scope` sees at `now`, today beginning at `dayStart`. */
  board(scope: Scope, now: Date, dayStart: Date): Board {
    return this.tally.board(scope, now, dayStart);
  }

  /** One page of the case list a viewer with `scope` sees (the lights as at `now`). */
  casePage(scope: Scope, query: CaseQuery, now: Date, rule?: LightRule): CasePage {
    return this.list.page(scope, query, now, rule);
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
