/**
 * A district's years of cases for benches: made by the domain's own commands (every state, 17
 * departments, a year of dates, coordinates) and written straight into the store, as a district
 * with years of data would have them. Deterministic: two runs seed the same cases.
 */
import { Types, type Connection } from 'mongoose';
import { accept, createCase, feedback, rate, returnCase, verify, whistle, type Actor, type Case, type CommandContext, type DeadlinePlanner } from '../src/cases';
import { CATEGORY_CODES, DEPARTMENT_CODES, URGENCIES } from '../src/taxonomy';
import { caseToDoc } from '../store/caseMapping';
import type { CaseRepository } from '../store/caseRepository';
import { caseModel } from '../store/models/case';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PLACES = ['文明大街与农机路交叉口', '农机社区3号楼', '将军府小区北门', '和平路菜市场', '文明街道办事处门前', '中心公园东门', '农机路12号', '将军府社区活动中心'];

export interface HistoryOptions {
  districtId: string;
  streetId: string;
  communityIds: readonly string[];
  /** Added to each case's sequence number, to keep clear of the numbers the bench itself allocates. */
  numberOffset?: number;
  seed?: number;
  /** Share of cases that end closed (default: the mix below, 58 % closed); the rest keep the open states' mix. */
  closedShare?: number;
  /** Every tenth case reported by one of this many residents (mini-program openids `resident-<k>`) instead of the grid member. */
  residents?: number;
  log?: (line: string) => void;
}

/** The stage below which a case stays open, in the default mix (`historyCase`). */
const OPEN_STAGES = 0.42;

/** A uniform draw mapped so that `closedShare` of cases reach the closed stage, the open stages keeping their proportions. */
function stageOf(draw: number, closedShare: number | undefined): number {
  if (closedShare === undefined) return draw;
  const open = 1 - closedShare;
  return draw < open ? (draw / open) * OPEN_STAGES : OPEN_STAGES + ((draw - open) / closedShare) * (1 - OPEN_STAGES);
}

/** Deterministic pseudo-random numbers, so two runs seed the same district. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

export const historyPlan: DeadlinePlanner = (_c, kind, from) => new Date(from.getTime() + (kind === 'accept' ? 8 * HOUR : kind === 'finish' ? 5 * DAY : DAY));
const dispatcher: Actor = { userId: 'dispatcher-wenming', name: '文明街道调度员', role: 'dispatcher' };

/** One case through the domain's commands up to a state picked at random (closed most often). */
export function historyCase(i: number, random: () => number, now: number, options: HistoryOptions): Case {
  const createdAt = new Date(now - Math.floor(random() * 365 * DAY));
  const at = (offsetMs: number): CommandContext => ({ actor: dispatcher, channel: 'system', now: new Date(createdAt.getTime() + offsetMs), plan: historyPlan });
  const dept = DEPARTMENT_CODES[Math.floor(random() * DEPARTMENT_CODES.length)]!;
  const place = PLACES[Math.floor(random() * PLACES.length)]!;
  const category = CATEGORY_CODES[Math.floor(random() * CATEGORY_CODES.length)]!;
  const year = createdAt.getUTCFullYear();
  const resident = options.residents !== undefined && i % 10 === 0 ? `resident-${(i / 10) % options.residents}` : undefined;
  let c = createCase(
    {
      districtId: options.districtId, streetId: options.streetId, communityId: options.communityIds[i % options.communityIds.length]!, source: resident ? 'resident' : 'grid',
      reporter: resident ? { openid: resident } : { userId: 'grid-zhang', name: '张网格' }, text: `${place}${category}问题，请尽快处理（第${i}件）`, media: [],
      parsed: { category, urgency: URGENCIES[Math.floor(random() * 3)]!, locationText: place, confidence: 0.9, lat: 45.752 + random() * 0.014, lng: 126.624 + random() * 0.024 },
      level: 'street',
    },
    { id: new Types.ObjectId().toHexString(), number: `${year}-${String(i + 1 + (options.numberOffset ?? 0)).padStart(6, '0')}` },
    { actor: { userId: 'grid-zhang', role: 'grid' }, channel: 'system', now: createdAt },
  );
  const step = (r: { ok: boolean; case?: Case }) => { if (r.ok && r.case) c = r.case; };
  const stage = stageOf(random(), options.closedShare);
  if (stage < 0.05) return c; // triage
  step(whistle(c, { departments: [dept] }, at(HOUR)));
  if (stage < 0.15) return c;
  const lead: Actor = { userId: `${dept}-lead`, role: 'dept_lead', deptCode: dept };
  if (stage < 0.18) { step(returnCase(c, { reason: '不属于本部门职责' }, { ...at(2 * HOUR), actor: lead })); return c; }
  step(accept(c, { ...at(random() < 0.8 ? 2 * HOUR : 10 * HOUR), actor: lead }));
  if (stage < 0.35) return c;
  step(feedback(c, { text: '已处理完毕' }, { ...at(random() < 0.8 ? 2 * DAY : 7 * DAY), actor: { ...lead, role: 'dept_member' } }));
  if (stage < OPEN_STAGES) return c;
  step(verify(c, { outcome: 'solved' }, at(8 * DAY)));
  const value = random() < 0.8 ? 'satisfied' : random() < 0.5 ? 'basically' : 'dissatisfied';
  step(rate(c, { value }, { ...at(9 * DAY), actor: { userId: 'grid-zhang', role: 'reporter' } }));
  return c;
}

/** JSON with object keys sorted, to compare two documents whatever order their fields were set in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

/**
 * Writes `count` history cases in batches of 1,000 (two in flight), with progress. The batches go
 * to the driver directly: mongoose's casting costs several times the insert itself at this size.
 * The first case of every batch is cast by the schema first and must come out unchanged, so what
 * is stored is what the repository would store. Run it with no app on the store: FerretDB's
 * SQLite backend answers SQLITE_BUSY to bulk inserts racing other writers.
 */
export async function seedHistory(connection: Connection, count: number, options: HistoryOptions): Promise<{ seconds: number }> {
  const cases = caseModel(connection);
  const random = rng(options.seed ?? 16);
  const now = Date.now();
  const started = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < count; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - i) }, (_, k) => caseToDoc(historyCase(i + k, random, now, options)));
    const cast = new cases(batch[0]).toObject({ versionKey: false });
    if (canonical(cast) !== canonical(batch[0])) throw new Error(`a seeded case differs from what the schema makes of it:\n${canonical(batch[0])}\n${canonical(cast)}`);
    const insert = cases.collection.insertMany(batch as never[], { ordered: false }).finally(() => inFlight.delete(insert));
    insert.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
    inFlight.add(insert);
    if (inFlight.size >= 2) await Promise.race(inFlight);
    if ((i / 1000) % 10 === 0) options.log?.(`seeded ${(i + batch.length).toLocaleString('en')} cases… (${Math.round((i + batch.length) / ((performance.now() - started) / 1000)).toLocaleString('en')}/s)`);
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  options.log?.(`seeded ${count.toLocaleString('en')} cases in ${seconds.toFixed(0)} s (${Math.round(count / Math.max(0.001, seconds)).toLocaleString('en')}/s)`);
  return { seconds };
}

/**
 * The same history as `seedHistory`, written through the store's bulk import into an empty store
 * (`CaseRepository.historyImport`): with the keys, counters, figures and markers the product would
 * have filed for those cases as they happened, so no one-time filing is left for the worker. Batches
 * of 2,000, generating the next while the last is written; progress every 20,000.
 */
export async function importHistory(repository: CaseRepository, count: number, options: HistoryOptions & { batch?: number; onBatch?: (cases: readonly Case[]) => void }): Promise<{ seconds: number }> {
  const random = rng(options.seed ?? 16);
  const now = Date.now();
  const size = options.batch ?? 2000;
  const started = performance.now();
  const importer = repository.historyImport();
  let writing: Promise<void> = Promise.resolve();
  let lastLog = 0;
  for (let i = 0; i < count; i += size) {
    const batch = Array.from({ length: Math.min(size, count - i) }, (_, k) => historyCase(i + k, random, now, options));
    if (i === 0) {
      const doc = caseToDoc(batch[0]!);
      const cast = new (caseModel(repository.connection))(doc).toObject({ versionKey: false });
      if (canonical(cast) !== canonical(doc)) throw new Error(`a seeded case differs from what the schema makes of it:\n${canonical(doc)}\n${canonical(cast)}`);
    }
    options.onBatch?.(batch);
    await writing;
    writing = importer.add(batch);
    const done = i + batch.length;
    if (done - lastLog >= 20_000 || done === count) {
      lastLog = done;
      const seconds = (performance.now() - started) / 1000;
      options.log?.(`imported ${done.toLocaleString('en')} cases… (${Math.round(done / seconds).toLocaleString('en')}/s, ${Math.round(((count - done) / done) * seconds)} s to go)`);
    }
  }
  await writing;
  await importer.finish();
  const seconds = (performance.now() - started) / 1000;
  options.log?.(`imported ${count.toLocaleString('en')} cases with their keys and figures in ${seconds.toFixed(0)} s (${Math.round(count / Math.max(0.001, seconds)).toLocaleString('en')}/s)`);
  return { seconds };
}
