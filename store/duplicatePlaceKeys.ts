import type { DuplicateFacts, DuplicateRule } from '../src/cases';

/**
 * Keys a store can find duplicates by, without a query on several fields (the default store,
 * FerretDB, serves only single-key lookups fast). The domain's rule (`isLikelyDuplicate`,
 * `findDuplicates`) judges what these keys find; the keys are this store's business alone.
 *
 * A case is filed under `<category>|<place token>|<time bucket>`: its location key and, with
 * coordinates, the 50 m grid cell it lies in. A report reads the keys of every cell within the
 * rule's distance and every bucket within its window; what it finds are only candidates, which
 * `findDuplicates` then judges by the exact rule. Cells and buckets are fixed sizes, not the
 * rule's, so changing the rule in config never strands what was filed before.
 */

export const DUPLICATE_BUCKET_MS = 72 * 3_600_000;
export const DUPLICATE_CELL_METERS = 50;
/** The widest distance rule looked up cell by cell (9 × 9 cells); a wider rule is clamped to it. */
export const MAX_DUPLICATE_CELL_RING = 4;

const METERS_PER_DEGREE_LAT = 111_320;
const LAT_CELL_DEGREES = DUPLICATE_CELL_METERS / METERS_PER_DEGREE_LAT;
// Twice as wide in longitude: a degree of longitude is at least half a degree of latitude up to 60°
// (all of China lies between 18° and 54°), so a cell is never narrower than 50 m east to west.
const LNG_CELL_DEGREES = 2 * LAT_CELL_DEGREES;
const MAX_CELL_LATITUDE = 60;

function cellOf(lat: number, lng: number): { row: number; col: number } | undefined {
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > MAX_CELL_LATITUDE) return undefined;
  return { row: Math.floor(lat / LAT_CELL_DEGREES), col: Math.floor(lng / LNG_CELL_DEGREES) };
}

const placeKey = (category: string, token: string, bucket: number) => `${category}|${token}|${bucket}`;
const cellToken = (row: number, col: number) => `cell:${row}:${col}`;

/** The place of `facts`: its location-key token (none or one) and its grid cell, if it has coordinates. */
function ownPlace(facts: DuplicateFacts): { locTokens: string[]; cell?: { row: number; col: number } } {
  const locTokens = facts.locationKey !== undefined ? [`loc:${facts.locationKey}`] : [];
  const cell = facts.lat !== undefined && facts.lng !== undefined ? cellOf(facts.lat, facts.lng) : undefined;
  return cell ? { locTokens, cell } : { locTokens };
}

/** The keys a case is filed under (none without a category or a place). */
export function duplicateFilingKeys(facts: DuplicateFacts): string[] {
  const category = facts.category;
  if (category === undefined) return [];
  const bucket = Math.floor(facts.createdAt.getTime() / DUPLICATE_BUCKET_MS);
  const { locTokens, cell } = ownPlace(facts);
  const tokens = cell ? [...locTokens, cellToken(cell.row, cell.col)] : locTokens;
  return tokens.map((token) => placeKey(category, token, bucket));
}

/** Every key under which a case `facts` duplicates under `rule` may be filed. */
export function duplicateLookupKeys(facts: DuplicateFacts, rule: DuplicateRule): string[] {
  if (facts.category === undefined) return [];
  const t = facts.createdAt.getTime();
  const buckets: number[] = [];
  for (let b = Math.floor((t - rule.windowMs) / DUPLICATE_BUCKET_MS); b <= Math.floor((t + rule.windowMs) / DUPLICATE_BUCKET_MS); b++) buckets.push(b);
  const { locTokens, cell } = ownPlace(facts);
  const tokens = [...locTokens];
  if (cell) {
    const ring = Math.min(MAX_DUPLICATE_CELL_RING, Math.ceil(rule.maxDistanceMeters / DUPLICATE_CELL_METERS));
    for (let dr = -ring; dr <= ring; dr++) for (let dc = -ring; dc <= ring; dc++) tokens.push(cellToken(cell.row + dr, cell.col + dc));
  }
  const category = facts.category;
  return buckets.flatMap((bucket) => tokens.map((token) => placeKey(category, token, bucket)));
}

/**
 * Keys filed before this time can never be looked up again, so a store may delete them. A key's
 * bucket begins no later than the case was filed, and a report made now or later reads only
 * buckets that end after its own time minus the window. An hour's slack covers clocks that differ.
 */
export function placeKeysUnreadBefore(now: Date, rule: DuplicateRule): Date {
  return new Date(now.getTime() - rule.windowMs - DUPLICATE_BUCKET_MS - 3_600_000);
}
