import { Schema, type Connection, type Model } from 'mongoose';
import type { Case } from '../src/cases/types';
import { addDays, localDate, zonedInstant } from '../src/sla/timeZone';
import { emptyFigures, type StatsPeriod } from '../src/stats/departmentStats';
import { assignmentFigures, FIGURE_KEYS, type AssignmentFigures, type Elapsed } from '../src/stats/figures';
import { upsertRetryingFirstRace } from './caseStoreErrors';
import { KeyedSerial } from './keyedSerial';

/**
 * One district's department figures for the assignments whistled on one local day, per street and
 * department: `figures.<street>.<dept>.<figure>`. Read by `_id` (`<district>|<YYYY-MM-DD>`).
 */
export interface StatsDayDoc {
  _id: string;
  figures: Record<string, Record<string, Partial<AssignmentFigures>>>;
}

const statsDaySchema = new Schema<StatsDayDoc>(
  { _id: { type: String, required: true }, figures: { type: Schema.Types.Mixed, default: {} } },
  { versionKey: false, collection: 'case_stats_days', minimize: false },
);

export function statsDayModel(connection: Connection): Model<StatsDayDoc> {
  return (connection.models.CaseStatsDay as Model<StatsDayDoc> | undefined) ?? connection.model<StatsDayDoc>('CaseStatsDay', statsDaySchema);
}

/** Street ids and department codes become field names: no `.`, no leading `$`, reversibly. */
const encodeKey = (key: string) => key.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/\$/g, '%24');
const decodeKey = (key: string) => key.replace(/%2E/g, '.').replace(/%24/g, '$').replace(/%25/g, '%');

/** `<day>` → `figures.<street>.<dept>.<figure>` → amount: what a case's assignments add to the day documents. */
type Contribution = Map<string, Map<string, number>>;

/** Increments of a day document not sent yet, and the promise of the update that will send them. */
interface Waiting {
  amounts: Map<string, number>;
  done: Promise<void>;
  /** Queues the update now instead of when its window ends (a read or a flush wants it). */
  sendNow: () => void;
}

/** Per day document, in one process (every repository on one store shares them): the update in flight and the next one. */
export interface DayQueues {
  serial: KeyedSerial;
  waiting: Map<string, Waiting>;
}

export function newDayQueues(): DayQueues {
  return { serial: new KeyedSerial(), waiting: new Map() };
}

/**
 * The department figures rolled up as cases change, so a period of whole days is answered from a
 * document per day (read by `_id`) instead of a `$group` over every case, which FerretDB v1 runs
 * in Go over the whole collection (minutes at 100,000 cases).
 *
 * Every stored change adds the difference between the case's figures after and before it, under
 * the day each assignment was whistled (`$inc`, one update per day touched, almost always one).
 * MongoDB applies `$inc` atomically. FerretDB v1 does not (it reads, then writes), so the updates of
 * one day document are queued one after another in this process: exact for the one-process
 * default deployment; processes on FerretDB changing the same day at the same instant could lose
 * an increment (a city runs MongoDB). A crash between a case's update and its roll-up loses that
 * change's difference; `rebuild` recomputes everything from the cases.
 */
/** Day document id → figure path → amount, summed in memory. */
export type RollupTotals = Map<string, Map<string, number>>;

export class CaseStatsRollup {
  private readonly days: Model<StatsDayDoc>;

  /**
   * `flushAfterMs` > 0: a day document's increments are gathered for that long before its update
   * is queued (one update for every change in the window instead of one per change in flight).
   */
  constructor(connection: Connection, private readonly queue: DayQueues, private readonly timeZone: string, private readonly elapsed?: Elapsed, private readonly flushAfterMs = 0) {
    this.days = statsDayModel(connection);
  }

  /** Sends every increment gathered so far and waits for the updates (before shutdown; before reading the day documents directly). */
  async flush(): Promise<void> {
    await this.settle([...this.queue.waiting.keys()]);
  }

  /** Sends the gathered increments of these day documents now and waits for their updates, failed or not. */
  private async settle(ids: readonly string[]): Promise<void> {
    const pending = ids.flatMap((id) => {
      const waiting = this.queue.waiting.get(id);
      if (!waiting) return [];
      waiting.sendNow();
      return [waiting.done];
    });
    // The one in flight too: a task queued behind it on the day's serial.
    const inFlight = ids.map((id) => this.queue.serial.run(id, async () => undefined));
    await Promise.allSettled([...pending, ...inFlight]);
  }

  /** Adds what the change from `before` (null: a new case) to `after` did to the figures. */
  async record(before: Case | null, after: Case): Promise<void> {
    const delta = this.contribution(after);
    if (before) subtract(delta, this.contribution(before));
    await Promise.all([...delta].map(([day, amounts]) => this.add(`${after.districtId}|${day}`, amounts)));
  }

  /**
   * Per-department sums for a period of whole local days (both ends at a day's start in the time
   * zone) of one district, from the day documents; undefined for any other period.
   */
  async sums(districtId: string, period: StatsPeriod): Promise<Map<string, AssignmentFigures> | undefined> {
    const first = localDate(period.from, this.timeZone);
    const end = localDate(period.to, this.timeZone);
    if (zonedInstant(first, 0, this.timeZone).getTime() !== period.from.getTime() || zonedInstant(end, 0, this.timeZone).getTime() !== period.to.getTime()) return undefined;
    const ids: string[] = [];
    for (let day = first; day < end; day = addDays(day, 1)) ids.push(`${districtId}|${day}`);
    // This process's own changes are in the answer, even those still gathered in a window.
    await this.settle(ids);
    const docs = await Promise.all(ids.map((id) => this.days.findById(id).lean<StatsDayDoc>().exec()));
    const sums = new Map<string, AssignmentFigures>();
    for (const doc of docs) {
      for (const [street, byDept] of Object.entries(doc?.figures ?? {})) {
        if (period.streetId !== undefined && decodeKey(street) !== period.streetId) continue;
        for (const [dept, figures] of Object.entries(byDept)) {
          const sum = sums.get(decodeKey(dept)) ?? emptyFigures();
          for (const key of FIGURE_KEYS) sum[key] += figures[key] ?? 0;
          sums.set(decodeKey(dept), sum);
        }
      }
    }
    // A department whose every whistle of the period was withdrawn from the figures is not listed, as by `$group`.
    for (const [dept, sum] of sums) if (sum.received === 0) sums.delete(dept);
    return sums;
  }

  /**
   * Replaces every day document with the figures of `cases` (the one-time build over a store of
   * older cases, or a repair). Changes recorded while it reads the cases may be counted once too
   * often or not at all: run it when nothing else writes, or accept that window.
   */
  async rebuild(cases: AsyncIterable<Case>): Promise<number> {
    const totals: RollupTotals = new Map();
    let read = 0;
    for await (const c of cases) {
      read += 1;
      this.addTo(totals, c);
    }
    await this.replaceAll(totals);
    return read;
  }

  /** Adds a case's figures to `totals` (kept in memory: a district's years are a few thousand day documents). */
  addTo(totals: RollupTotals, c: Case): void {
    for (const [day, amounts] of this.contribution(c)) {
      const id = `${c.districtId}|${day}`;
      const total = totals.get(id) ?? new Map<string, number>();
      for (const [path, amount] of amounts) total.set(path, (total.get(path) ?? 0) + amount);
      totals.set(id, total);
    }
  }

  /** Replaces every day document with `totals`. */
  async replaceAll(totals: RollupTotals): Promise<void> {
    await this.flush();
    await this.days.deleteMany({}).exec();
    const docs = [...totals].map(([id, total]) => ({ _id: id, figures: nested(total) }));
    for (let i = 0; i < docs.length; i += 500) await this.days.insertMany(docs.slice(i, i + 500));
  }

  private contribution(c: Case): Contribution {
    const out: Contribution = new Map();
    for (const a of c.assignments) {
      const day = localDate(a.whistledAt, this.timeZone);
      const amounts = out.get(day) ?? new Map<string, number>();
      const figures = assignmentFigures(c, a, this.elapsed);
      const at = `figures.${encodeKey(c.streetId)}.${encodeKey(a.deptCode)}`;
      for (const key of FIGURE_KEYS) if (figures[key] !== 0) amounts.set(`${at}.${key}`, (amounts.get(`${at}.${key}`) ?? 0) + figures[key]);
      out.set(day, amounts);
    }
    return out;
  }

  /**
   * One `$inc` upsert of the day document, after the one this process has in flight for it (and
   * after the window, if any); what arrives meanwhile is merged into the next one (a busy day costs
   * one update at a time, not one each).
   */
  private add(id: string, amounts: Map<string, number>): Promise<void> {
    const waiting = this.queue.waiting.get(id);
    if (waiting) {
      for (const [path, amount] of amounts) waiting.amounts.set(path, (waiting.amounts.get(path) ?? 0) + amount);
      return waiting.done;
    }
    const send = () =>
      this.queue.serial.run(id, async () => {
        this.queue.waiting.delete(id);
        const $inc = Object.fromEntries([...next.amounts].filter(([, amount]) => amount !== 0));
        if (Object.keys($inc).length > 0) await this.increment(id, $inc);
      });
    const next: Waiting = { amounts: new Map(amounts), done: Promise.resolve(), sendNow: () => undefined };
    this.queue.waiting.set(id, next);
    if (this.flushAfterMs <= 0) {
      next.done = send();
      return next.done;
    }
    next.done = new Promise<void>((resolve, reject) => {
      let queued = false;
      const timer = setTimeout(() => next.sendNow(), this.flushAfterMs);
      next.sendNow = () => {
        if (queued) return;
        queued = true;
        clearTimeout(timer);
        send().then(resolve, reject);
      };
    });
    return next.done;
  }

  private async increment(id: string, $inc: Record<string, number>): Promise<void> {
    await upsertRetryingFirstRace(() => this.days.updateOne({ _id: id }, { $inc }, { upsert: true }).exec());
  }
}

function subtract(from: Contribution, minus: Contribution): void {
  for (const [day, amounts] of minus) {
    const target = from.get(day) ?? new Map<string, number>();
    for (const [path, amount] of amounts) target.set(path, (target.get(path) ?? 0) - amount);
    from.set(day, target);
  }
}

/** `figures.<street>.<dept>.<figure>` → amount, as the nested document `$inc` would have made. */
function nested(total: Map<string, number>): StatsDayDoc['figures'] {
  const figures: StatsDayDoc['figures'] = {};
  for (const [path, amount] of total) {
    const [, street, dept, key] = path.split('.') as [string, string, string, keyof AssignmentFigures];
    const byDept = (figures[street] ??= {});
    (byDept[dept] ??= {})[key] = amount;
  }
  return figures;
}
