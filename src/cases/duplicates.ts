import type { Case } from './types';
import { OPEN_CASE_STATES } from './types';

/** Location text reduced to what identifies the place: no spaces, punctuation or 附近/旁边-style filler. */
export function locationKey(locationText: string | undefined): string | undefined {
  if (!locationText) return undefined;
  const key = locationText
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .replace(/(附近|旁边|门口|对面|一带|周边)$/u, '');
  return key.length > 0 ? key : undefined;
}

export interface DuplicateRule {
  windowMs: number;
  /** Two reports with coordinates closer than this are the same place even if worded differently. */
  maxDistanceMeters: number;
}

export const DEFAULT_DUPLICATE_RULE: DuplicateRule = { windowMs: 72 * 3600_000, maxDistanceMeters: 50 };

export interface DuplicateFacts {
  category?: string;
  locationKey?: string;
  lat?: number;
  lng?: number;
  createdAt: Date;
}

export function duplicateFacts(c: Case): DuplicateFacts {
  return {
    ...(c.parsed.category !== undefined && { category: c.parsed.category }),
    ...(c.parsed.locationKey !== undefined && { locationKey: c.parsed.locationKey }),
    ...(c.parsed.lat !== undefined && { lat: c.parsed.lat }),
    ...(c.parsed.lng !== undefined && { lng: c.parsed.lng }),
    createdAt: c.createdAt,
  };
}

const EARTH_RADIUS_M = 6_371_000;

export function distanceMeters(aLat: number, aLng: number, bLat: number, bLng: number): number {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLng = (bLng - aLng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h));
}

function samePlace(a: DuplicateFacts, b: DuplicateFacts, rule: DuplicateRule): boolean {
  if (a.lat !== undefined && a.lng !== undefined && b.lat !== undefined && b.lng !== undefined) {
    if (distanceMeters(a.lat, a.lng, b.lat, b.lng) <= rule.maxDistanceMeters) return true;
  }
  return a.locationKey !== undefined && a.locationKey === b.locationKey;
}

/** Same category, same place, reported within the window of each other. */
export function isLikelyDuplicate(a: DuplicateFacts, b: DuplicateFacts, rule: DuplicateRule = DEFAULT_DUPLICATE_RULE): boolean {
  if (a.category === undefined || a.category !== b.category) return false;
  if (Math.abs(a.createdAt.getTime() - b.createdAt.getTime()) > rule.windowMs) return false;
  return samePlace(a, b, rule);
}

/** Open cases `report` duplicates, oldest first (the one to merge into comes first). */
export function findDuplicates(report: DuplicateFacts, candidates: readonly Case[], rule: DuplicateRule = DEFAULT_DUPLICATE_RULE): Case[] {
  return candidates
    .filter((c) => OPEN_CASE_STATES.includes(c.state) && isLikelyDuplicate(report, duplicateFacts(c), rule))
    .sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());
}
