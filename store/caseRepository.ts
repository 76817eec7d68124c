import { createHash } from 'node:crypto';
import { CHINA_TIME_ZONE } from '../src/chinaTime';
import { Types, type Connection, type Model, type UpdateQuery } from 'mongoose';
import {
  caseCounterId,
  createCase,
  duplicateFacts,
  findDuplicates,
  formatCaseNumber,
  DEFAULT_DUPLICATE_RULE,
  OPEN_CASE_STATES,
  type Case,
  type CaseDraft,
  type CommandContext,
  type DuplicateFacts,
  type DuplicateRule,
  type TimelineEvent,
} from '../src/cases';
import { localYear } from '../src/sla/timeZone';
import { departmentStats, type DepartmentStats } from '../src/stats/departmentStats';
import type { Elapsed } from '../src/stats/figures';
import { caseFromDoc, caseToDoc, MUTABLE_CASE_FIELDS, withoutUndefined } from './caseMapping';
import { placeKeysUnreadBefore } from './duplicatePlaceKeys';
import { aggregateDepartmentStats, type StoredStatsPeriod } from './caseStats';
import { CaseStatsRollup } from './caseStatsRollup';
import { insertPlainUnlessPresent, insertUnlessPresent, isDuplicateKeyError } from './caseStoreErrors';
import { CaseHistoryImport } from './caseHistoryImport';
import { CaseOpenIndex, isOpen } from './caseOpenIndex';
import { CasePlaceIndex } from './casePlaceIndex';
import { CaseVersionClaims, type ClaimTicket } from './caseVersionClaims';
import { isFerretdb } from './connection';
import { caseModel, caseTransitionModel, type CaseDoc } from './models/case';
import { caseNumberKeyModel, caseOpenKeyModel, casePlaceKeyModel, caseReporterKeyModel, type CaseKeyDoc } from './models/caseKeys';
import { CaseReporterIndex } from './caseReporterIndex';
import { nextInSequence } from './counters';
import { counterModel, type CounterDoc } from './models/counter';
import { storeWriteQueues, type StoreWriteQueues } from './writeQueues';

export type PersistResult = { ok: true } | { ok: false; reason: 'conflict' | 'not_found' };

export interface CaseRepositoryOptions {
  /** Zone whose calendar year numbers the cases. */
  timeZone?: string;
  /** How the stored statistics measure time to accept / finish (calendar time by default). */
  elapsed?: Elapsed;
  /** A version claim older than this whose case never moved was left by a crashed writer and is cleared. */
  staleClaimMs?: number;
  /**
   * The store's write queues. A process keeps one repository per store (the composition root builds
   * it); a second repository on the same store needs the first one's queues to stay exact on FerretDB.
   */
  writeQueues?: StoreWriteQueues;
  /**
   * How long the figures' roll-up gathers a day document's increments before updating it (0: an
   * update per change, the change waiting for it). Above 0 a change does not wait for its figures:
   * they reach the store within this window, or at `flushFigures()` (shutdown), and this process's
   * own reads of the figures wait for them. A crash loses the window's figures (as it always lost
   * the figures of a change whose roll-up had not run): `rollUpStatsOnce` after the marker is removed rebuilds them.
   */
  figuresFlushMs?: number;
}

/** The figures' roll-up window of a service process (`CaseRepositoryOptions.figuresFlushMs`). */
export const SERVICE_FIGURES_FLUSH_MS = 200;

export interface DuplicateQuery extends DuplicateFacts {
  districtId: string;
  /** The report's own case, when it is already stored. */
  excludeId?: string;
}

const MAX_NUMBER_ATTEMPTS = 100;
const CASE_KEYS_MARKER = 'migration:case-keys-v1';
const REPORTER_KEYS_MARKER = 'migration:reporter-keys-v1';
/** Set once every open case stored is filed in the open-case keys (`CaseOpenIndex`). */
const OPEN_KEYS_MARKER = 'migration:open-keys-v1';
/** Cases read by `_id` at once while walking the open ones. */
const OPEN_WALK_READS = 16;
/** Set once the day documents hold every stored case's figures; removed when a roll-up update failed. */
const STATS_ROLLUP_MARKER = 'migration:stats-rollup-v1';

/** Cases in MongoDB/FerretDB: one document per case, timeline embedded, every change one conditional update. */
export class CaseRepository {
  private readonly cases: Model<CaseDoc>;
  private readonly counters: Model<CounterDoc>;
  private readonly claims: CaseVersionClaims;
  private readonly places: CasePlaceIndex;
  private readonly reporters: CaseReporterIndex;
  private readonly openKeys: CaseOpenIndex;
  private readonly numbers: Model<CaseKeyDoc>;
  private readonly rollup: CaseStatsRollup;
  private serverKind?: Promise<'mongodb' | 'ferretdb'>;
  private readonly timeZone: string;
  private readonly elapsed: Elapsed | undefined;
  private readonly writeQueues: StoreWriteQueues;
  private readonly figuresWait: boolean;

  constructor(connection: Connection, options: CaseRepositoryOptions = {}) {
    this.cases = caseModel(connection);
    this.counters = counterModel(connection);
    this.timeZone = options.timeZone ?? CHINA_TIME_ZONE;
    this.elapsed = options.elapsed;
    this.writeQueues = options.writeQueues ?? storeWriteQueues();
    this.claims = new CaseVersionClaims(caseTransitionModel(connection), this.cases, options.staleClaimMs ?? 30_000);
    this.places = new CasePlaceIndex(casePlaceKeyModel(connection));
    this.reporters = new CaseReporterIndex(this.counters, this.writeQueues.counters, caseReporterKeyModel(connection));
    this.numbers = caseNumberKeyModel(connection);
    this.openKeys = new CaseOpenIndex(caseOpenKeyModel(connection));
    this.rollup = new CaseStatsRollup(connection, this.writeQueues.statsDays, this.timeZone, this.elapsed, options.figuresFlushMs ?? 0);
    this.figuresWait = (options.figuresFlushMs ?? 0) <= 0;
  }

  /** Sends the figures the roll-up is still gathering and waits for them (at shutdown, before the store closes). */
  flushFigures(): Promise<void> {
    return this.rollup.flush();
  }

  /** Builds the indexes (autoIndex does it lazily; call this at start-up or in tests to wait for them). */
  async ensureIndexes(): Promise<void> {
    await this.cases.createIndexes();
    await caseTransitionModel(this.cases.db).createIndexes();
  }

  /** The store this repository writes to. */
  get connection(): Connection {
    return this.cases.db;
  }

  /** A bulk import of older cases into this (empty) store, with every key, counter and figure filed (see `CaseHistoryImport`). */
  historyImport(): CaseHistoryImport {
    return new CaseHistoryImport(this.cases.db, this.rollup, [CASE_KEYS_MARKER, REPORTER_KEYS_MARKER, OPEN_KEYS_MARKER, STATS_ROLLUP_MARKER], this.elapsed);
  }

  /** Next number of a per-district, per-year sequence. */
  nextSequence(districtId: string, year: number): Promise<number> {
    return nextInSequence(this.counters, this.writeQueues.counters, caseCounterId(districtId, year));
  }

  /**
   * Stores a new case under the next number of its district and year. The unique
   * `{districtId, number}` index is the final guard: FerretDB v1 can hand two racing callers the same
   * counter value, and the one whose insert collides simply takes the next number.
   */
  async create(draft: CaseDraft, ctx: CommandContext, key?: string): Promise<Case> {
    const year = localYear(ctx.now, this.timeZone);
    // With a key, the id is the key's: a second try of the same submission finds the first one's case.
    const id = key === undefined ? undefined : createHash('sha256').update(key).digest('hex').slice(0, 24);
    if (id !== undefined) {
      const stored = await this.get(id);
      if (stored) return this.refiled(stored);
    }
    for (let attempt = 1; ; attempt++) {
      const sequence = await this.nextSequence(draft.districtId, year);
      const created = createCase(draft, { id: id ?? new Types.ObjectId().toHexString(), number: formatCaseNumber(year, sequence) }, ctx);
      // Before the insert: a crash in between leaves a key without its case, which the open walk drops.
      if (isOpen(created)) await this.openKeys.file(created.id, created.createdAt);
      try {
        // Through the driver, as the history import writes cases: caseToDoc is the stored shape.
        await this.cases.collection.insertOne(caseToDoc(created, this.elapsed) as never);
      } catch (error) {
        if (!isDuplicateKeyError(error) || attempt >= MAX_NUMBER_ATTEMPTS) throw error;
        const raced = id === undefined ? undefined : await this.get(id);
        if (raced) return this.refiled(raced);
        continue;
      }
      await Promise.all([this.fileKeys(created), this.rollUp(null, created)]);
      return created;
    }
  }

  /** A case found again under its submission key: its number and place keys are filed again (idempotent) in case its creator stopped before filing them. */
  private async refiled(c: Case): Promise<Case> {
    await this.fileLookupKeys(c);
    return c;
  }

  async get(caseId: string): Promise<Case | undefined> {
    const doc = await this.cases.findById(caseId).lean<CaseDoc>().exec();
    return doc ? caseFromDoc(doc) : undefined;
  }

  async getByNumber(districtId: string, number: string): Promise<Case | undefined> {
    const key = await this.numbers.findById(numberKey(districtId, number)).lean<CaseKeyDoc>().exec();
    if (key) return this.get(key.caseId);
    // Cases stored before the number keys existed, or whose creator stopped before filing the key.
    const doc = await this.cases.findOne({ districtId, number }).lean<CaseDoc>().exec();
    return doc ? caseFromDoc(doc) : undefined;
  }

  /**
   * Files every open case stored before the key documents existed, once per database (a marker in
   * `counters` records that it ran). Returns how many cases it filed; `progress` hears every 1,000.
   */
  fileOpenCasesOnce(progress: (filed: number) => void = () => undefined): Promise<number> {
    const open = () => this.cases.find({ state: { $in: OPEN_CASE_STATES } }).lean<CaseDoc>().cursor();
    return this.once(CASE_KEYS_MARKER, () => overCases(open(), (doc) => this.fileLookupKeys(caseFromDoc(doc)), progress));
  }

  /**
   * Files every open case stored before the open-case keys existed, once per database (a marker in
   * `counters`); until then `openCases` queries by state. Returns how many it filed.
   */
  fileOpenKeysOnce(progress: (filed: number) => void = () => undefined): Promise<number> {
    const open = () => this.cases.find({ state: { $in: OPEN_CASE_STATES } }, { _id: 1, createdAt: 1 }).lean<CaseDoc>().cursor();
    return this.once(OPEN_KEYS_MARKER, () => overCases(open(), (doc) => this.openKeys.file(String(doc._id), doc.createdAt), progress));
  }

  /**
   * Every open case, a page at a time, in no particular order. From the open-case keys (reads by
   * `_id`, proportional to the open cases) once `fileOpenKeysOnce` ran; by a query on state before
   * that (on FerretDB v1 a read of every stored case). Keys of cases that are gone or finished (a
   * crash between a case's write and its key's) are dropped on the way.
   */
  async *openCases(pageSize: number): AsyncGenerator<Case[]> {
    if (!(await this.counters.exists({ _id: OPEN_KEYS_MARKER }).exec())) {
      let page: Case[] = [];
      for await (const doc of this.cases.find({ state: { $in: OPEN_CASE_STATES } }).lean<CaseDoc>().cursor({ batchSize: pageSize })) {
        page.push(caseFromDoc(doc));
        if (page.length >= pageSize) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
      return;
    }
    const stale: string[] = [];
    for await (const ids of this.openKeys.ids(pageSize)) {
      const page: Case[] = [];
      for (let i = 0; i < ids.length; i += OPEN_WALK_READS) {
        const slice = ids.slice(i, i + OPEN_WALK_READS);
        const read = await Promise.all(slice.map((id) => this.get(id)));
        read.forEach((c, k) => {
          if (c && isOpen(c)) page.push(c);
          else stale.push(slice[k]!);
        });
      }
      if (page.length > 0) yield page;
    }
    // Checked again before dropping: the case may have opened (again) since it was read.
    for (const id of stale) {
      const c = await this.get(id);
      if (!c || !isOpen(c)) await this.openKeys.remove(id);
    }
  }

  /**
   * Files every case stored before the reporter keys existed under its reporter, oldest first,
   * once per database (a marker in the counters); until then `listByReporter` queries.
   */
  fileReportersOnce(progress: (filed: number) => void = () => undefined): Promise<number> {
    const oldestFirst = () => this.cases.find({}, { timeline: 0 }).sort({ createdAt: 1 }).lean<CaseDoc>().cursor();
    return this.once(REPORTER_KEYS_MARKER, () => overCases(oldestFirst(), (doc) => this.fileReporter(doc.reporter, String(doc._id), doc.createdAt), progress));
  }

  /**
   * Rolls up the figures of every stored case into the day documents, once per database (again
   * after a roll-up update failed); until then `departmentStats` asks the store's `$group`. Cases
   * changed while it reads may be counted off by that change (see `CaseStatsRollup.rebuild`).
   */
  rollUpStatsOnce(progress: (read: number) => void = () => undefined): Promise<number> {
    const all = () => this.cases.find({}, { timeline: 0 }).lean<CaseDoc>().cursor({ batchSize: 2000 });
    return this.once(STATS_ROLLUP_MARKER, () => this.rollup.rebuild(withProgress(all(), (doc) => caseFromDoc({ ...doc, timeline: [] }), progress)));
  }

  /** Runs `work` unless `marker` says it ran before; then sets the marker. */
  private async once(marker: string, work: () => Promise<number>): Promise<number> {
    if (await this.counters.exists({ _id: marker }).exec()) return 0;
    const done = await work();
    await insertUnlessPresent(this.counters, { _id: marker, seq: done });
    return done;
  }

  /**
   * A stored change's figures into the day documents. A failure does not fail the change (it is
   * stored): the marker goes, so the statistics ask the store again until the next worker start rolls up anew.
   */
  private async rollUp(before: Case | null, after: Case): Promise<void> {
    const recorded = this.rollup.record(before, after).catch(() => this.counters.deleteOne({ _id: STATS_ROLLUP_MARKER }).exec().then(() => undefined, () => undefined));
    // With a window the change does not wait for its figures (their failure is handled all the same).
    if (this.figuresWait) await recorded;
  }

  /** The `_id`-keyed lookups of a new case: its number, its place and its reporter (no command changes them later). */
  private async fileKeys(c: Case): Promise<void> {
    await Promise.all([this.fileReporter(c.reporter, c.id, c.createdAt), this.fileLookupKeys(c)]);
  }

  private async fileLookupKeys(c: Case): Promise<void> {
    await Promise.all([
      insertPlainUnlessPresent(this.numbers, { _id: numberKey(c.districtId, c.number), caseId: c.id, filedAt: new Date() }),
      this.places.file(c.districtId, c.id, duplicateFacts(c)),
    ]);
  }

  private async fileReporter(reporter: { userId?: string; openid?: string } | undefined, caseId: string, at: Date): Promise<void> {
    const reporterId = reporter?.userId ?? reporter?.openid;
    if (reporterId !== undefined) await this.reporters.file(reporterId, caseId, at);
  }

  /**
   * MongoDB applies `{_id, version}` atomically. FerretDB v1 reads the whole collection for any
   * filter but `{_id}` alone, and its conditional update is not atomic anyway: there the version
   * claim is the guard, checked once more just before the write.
   */
  private async versionGuard(caseId: string, expectedVersion: number, ticket: ClaimTicket): Promise<Record<string, unknown> | undefined> {
    this.serverKind ??= isFerretdb(this.cases.db).then((ferret) => (ferret ? 'ferretdb' : 'mongodb'));
    if ((await this.serverKind) === 'mongodb') return { _id: caseId, version: expectedVersion };
    return (await this.claims.held(ticket)) ? { _id: caseId } : undefined;
  }

  /**
   * Persists a transition as ONE conditional update on `{_id, version}`: changed fields set, the new
   * events pushed, the version incremented. A moved version (a concurrent or replayed command) is a
   * conflict and changes nothing. The version claim in front of it makes the same hold on FerretDB.
   * `before` is the case as read at `expectedVersion` (read here when not given), for the figures' roll-up.
   */
  async applyTransition(caseId: string, expectedVersion: number, next: Case, events: TimelineEvent[], before?: Case): Promise<PersistResult> {
    const prior = before?.version === expectedVersion ? before : await this.get(caseId);
    const doc = caseToDoc(next, this.elapsed);
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, ''> = {};
    for (const field of MUTABLE_CASE_FIELDS) {
      if (doc[field] === undefined) $unset[field] = '';
      else $set[field] = doc[field];
    }
    const opens = prior !== undefined && !isOpen(prior) && isOpen(next);
    if (opens) await this.openKeys.file(caseId, next.updatedAt);
    const result = await this.guardedUpdate(caseId, expectedVersion, events, { $set, ...(Object.keys($unset).length > 0 && { $unset }) });
    // After the update: a crash in between leaves the key of a finished case, which the open walk drops.
    if (result.ok && !isOpen(next) && (prior === undefined || isOpen(prior))) await this.openKeys.remove(caseId);
    if (result.ok && prior?.version === expectedVersion) await this.rollUp(prior, next);
    return result;
  }

  /**
   * Appends events and changes nothing else (the deadline engine's reminders and escalations),
   * under the same version guard as a transition: on FerretDB an unguarded append and a transition
   * could both write version N + 1 and one of them would be lost.
   */
  appendEvents(caseId: string, expectedVersion: number, events: TimelineEvent[]): Promise<PersistResult> {
    return this.guardedUpdate(caseId, expectedVersion, events, {});
  }

  private async guardedUpdate(caseId: string, expectedVersion: number, events: TimelineEvent[], fields: UpdateQuery<CaseDoc>): Promise<PersistResult> {
    const ticket = await this.claims.claim(caseId, expectedVersion, events);
    // Another writer claimed this version of a case it had read (cases are never deleted): a conflict.
    if (!ticket) return { ok: false, reason: 'conflict' };
    const update: UpdateQuery<CaseDoc> = { ...fields, $push: { timeline: { $each: withoutUndefined(events) } }, $inc: { version: 1 } };
    const filter = await this.versionGuard(caseId, expectedVersion, ticket);
    if (!filter) return { ok: false, reason: 'conflict' };
    // Through the driver: the fields are caseToDoc's stored shape already, and mongoose's casting of
    // the whole case (assignments, timeline) on every change was a large share of the process's CPU.
    const result = await this.cases.collection.updateOne(filter, update as never);
    if (result.matchedCount === 1) return { ok: true };
    await this.claims.release(caseId, expectedVersion);
    const exists = await this.cases.exists({ _id: caseId }).exec();
    return { ok: false, reason: exists ? 'conflict' : 'not_found' };
  }

  /** Deletes duplicate-lookup keys no report can read any more under `rule`; returns how many. */
  prunePlaceKeys(now: Date, rule: DuplicateRule = DEFAULT_DUPLICATE_RULE): Promise<number> {
    return this.places.prune(placeKeysUnreadBefore(now, rule));
  }

  /** Open cases of the same category reported around the same time and place, oldest first. */
  async findOpenDuplicates(query: DuplicateQuery, rule: DuplicateRule = DEFAULT_DUPLICATE_RULE): Promise<Case[]> {
    const ids = (await this.places.candidates(query.districtId, query, rule)).filter((id) => id !== query.excludeId);
    const candidates = await Promise.all(ids.map((id) => this.get(id)));
    return findDuplicates(query, candidates.filter((c): c is Case => c !== undefined && c.districtId === query.districtId), rule);
  }

  /**
   * A reporter's latest cases, newest first: from the reporter keys (reads by `_id`) once every
   * older case is filed under them (`fileReportersOnce`), by a query before that.
   */
  async listByReporter(reporterId: string, limit = 50): Promise<Case[]> {
    if (await this.counters.exists({ _id: REPORTER_KEYS_MARKER }).exec()) {
      // A few slots more than asked: a case filed by both its creation and the one-time filing counts once.
      const ids = (await this.reporters.latest(reporterId, limit + 20)) ?? [];
      const cases = (await Promise.all(ids.map((id) => this.get(id)))).filter((c): c is Case => c !== undefined);
      return cases.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, limit);
    }
    const docs = await this.cases
      .find({ $or: [{ 'reporter.userId': reporterId }, { 'reporter.openid': reporterId }] })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<CaseDoc[]>()
      .exec();
    return docs.map(caseFromDoc);
  }

  /**
   * Per-department figures for assignments whistled in the period: for a district and a period of
   * whole days, from the day documents (a read by `_id` per day) once every stored case is rolled
   * up; otherwise by the store's `$group` over every case (`aggregatedDepartmentStats`).
   */
  async departmentStats(period: StoredStatsPeriod): Promise<DepartmentStats[]> {
    if (period.districtId !== undefined && (await this.counters.exists({ _id: STATS_ROLLUP_MARKER }).exec())) {
      const sums = await this.rollup.sums(period.districtId, period);
      if (sums) return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([deptCode, s]) => departmentStats(deptCode, s));
    }
    return this.aggregatedDepartmentStats(period);
  }

  /** The same figures by `$unwind` + `$group` over every case (see `caseStats.ts`). */
  aggregatedDepartmentStats(period: StoredStatsPeriod): Promise<DepartmentStats[]> {
    return aggregateDepartmentStats(this.cases, period);
  }
}

/** Runs `file` over every document `read` yields; `progress` hears every 1,000. Returns how many. */
async function overCases(read: AsyncIterable<CaseDoc>, file: (doc: CaseDoc) => Promise<void>, progress: (filed: number) => void): Promise<number> {
  let filed = 0;
  for await (const doc of read) {
    await file(doc);
    filed += 1;
    if (filed % 1000 === 0) progress(filed);
  }
  return filed;
}

/** `read`'s documents as cases, telling `progress` every 10,000. */
async function* withProgress(read: AsyncIterable<CaseDoc>, map: (doc: CaseDoc) => Case, progress: (read: number) => void): AsyncGenerator<Case> {
  let count = 0;
  for await (const doc of read) {
    yield map(doc);
    if (++count % 10_000 === 0) progress(count);
  }
}

function numberKey(districtId: string, number: string): string {
  return `${districtId}|${number}`;
}
