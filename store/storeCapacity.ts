import type { Connection } from 'mongoose';
import { isFerretdb } from './connection';
import { caseModel } from './models/case';

export type StoreLoadLevel = 'ok' | 'near' | 'over';

/** How full the store is against what it is rated for. MongoDB has no ceiling here. */
export interface StoreLoad {
  server: 'mongodb' | 'ferretdb';
  /** Approximate on FerretDB (read from SQLite's page statistics, not counted). */
  cases: number;
  ceiling: number | null;
  level: StoreLoadLevel;
  /** What to do, for logs, /readyz and the command centre; absent while all is well. */
  advice?: string;
  measuredAt: Date;
}

export interface StoreCapacityOptions {
  /** Cases the default store is rated for. */
  ceiling: number;
  /** Share of the ceiling from which it warns. */
  warnAt?: number;
}

export function storeLoadLevel(cases: number, ceiling: number | null, warnAt = 0.8): StoreLoadLevel {
  if (ceiling === null) return 'ok';
  if (cases >= ceiling) return 'over';
  return cases >= ceiling * warnAt ? 'near' : 'ok';
}

function adviceFor(level: StoreLoadLevel, cases: number, ceiling: number): string | undefined {
  if (level === 'ok') return undefined;
  const share = `${Math.round((cases / ceiling) * 100)}%`;
  const move = 'move to MongoDB: `npm run store:migrate -- --to mongodb://…`, then point MONGODB_URI at it (README: "How far one machine goes")';
  return level === 'over'
    ? `the default store holds ${cases.toLocaleString('en')} cases, over the ${ceiling.toLocaleString('en')} it is rated for (${share}): screens and lookups slow down from here; ${move}`
    : `the default store holds ${cases.toLocaleString('en')} cases, ${share} of the ${ceiling.toLocaleString('en')} it is rated for: plan to ${move}`;
}

/**
 * Counts the cases cheaply: on FerretDB `collStats` reads SQLite's page statistics (a count would
 * scan every document); on MongoDB the collection's metadata count.
 */
export async function measureStoreLoad(connection: Connection, options: StoreCapacityOptions, now: Date = new Date()): Promise<StoreLoad> {
  const cases = caseModel(connection);
  if (!(await isFerretdb(connection))) {
    return { server: 'mongodb', cases: await cases.estimatedDocumentCount(), ceiling: null, level: 'ok', measuredAt: now };
  }
  const stats = (await connection.db!.command({ collStats: cases.collection.collectionName }).catch(() => ({ count: 0 }))) as { count?: number };
  const count = Number(stats.count ?? 0);
  const level = storeLoadLevel(count, options.ceiling, options.warnAt);
  const advice = adviceFor(level, count, options.ceiling);
  return { server: 'ferretdb', cases: count, ceiling: options.ceiling, level, ...(advice !== undefined && { advice }), measuredAt: now };
}
