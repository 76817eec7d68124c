import type { CaseSummary } from './summary';

export interface Hotspot {
  category: string;
  place: string;
  count: number;
  open: number;
  lastAt: Date;
  lat?: number;
  lng?: number;
  caseNumbers: string[];
}

/** About 100 m: reports this close with no written place in common still count as one place. */
const CELL_DEGREES = 0.001;

function placeOf(c: CaseSummary): string | undefined {
  if (c.placeKey) return c.placeKey;
  if (c.lat !== undefined && c.lng !== undefined) return `@${Math.round(c.lat / CELL_DEGREES)},${Math.round(c.lng / CELL_DEGREES)}`;
  return undefined;
}

/**
 * 未诉先办: the same category reported again and again at one place in the period (merged
 * duplicates count too: each is a complaint), most repeated first.
 */
export function findHotspots(cases: Iterable<CaseSummary>, from: Date, to: Date, minReports = 3, limit = 20): Hotspot[] {
  const groups = new Map<string, Hotspot>();
  for (const c of cases) {
    if (c.createdAt < from || c.createdAt >= to || c.state === 'cancelled') continue;
    const place = placeOf(c);
    if (place === undefined) continue;
    const category = c.category ?? 'other';
    const key = `${category}|${place}`;
    const spot = groups.get(key) ?? { category, place: c.locationText ?? place, count: 0, open: 0, lastAt: c.createdAt, caseNumbers: [] };
    spot.count += 1;
    if (c.open) spot.open += 1;
    if (c.createdAt > spot.lastAt) spot.lastAt = c.createdAt;
    if (spot.lat === undefined && c.lat !== undefined && c.lng !== undefined) { spot.lat = c.lat; spot.lng = c.lng; }
    if (spot.caseNumbers.length < 10) spot.caseNumbers.push(c.number);
    groups.set(key, spot);
  }
  return [...groups.values()].filter((g) => g.count >= minReports).sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime()).slice(0, limit);
}

/** The period's most reported categories. */
export function topIssues(cases: Iterable<CaseSummary>, from: Date, to: Date, limit = 10): { category: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const c of cases) {
    if (c.createdAt < from || c.createdAt >= to || c.state === 'cancelled') continue;
    counts.set(c.category ?? 'other', (counts.get(c.category ?? 'other') ?? 0) + 1);
  }
  return [...counts].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count).slice(0, limit);
}
