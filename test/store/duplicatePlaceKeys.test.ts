import { isLikelyDuplicate, type DuplicateFacts } from '../../src/cases';
import { duplicateFilingKeys, duplicateLookupKeys, placeKeysUnreadBefore } from '../../store/duplicatePlaceKeys';
import { HOUR } from '../src/cases/fixtures';

describe('duplicate place keys (the store finds candidates by them; the domain rule judges)', () => {
  const base = { category: 'road', locationKey: '幸福路12号', createdAt: new Date('2026-11-23T02:00:00Z') };
  const rule = { windowMs: 24 * HOUR, maxDistanceMeters: 50 };

  describe('filing and lookup keys', () => {
    // A small deterministic generator, so a failure names a reproducible pair.
    function random(seed: number): () => number {
      let x = seed;
      return () => {
        x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
        return x / 2_147_483_648;
      };
    }

    const RULES = [rule, { windowMs: 72 * HOUR, maxDistanceMeters: 50 }, { windowMs: 7 * 24 * HOUR, maxDistanceMeters: 120 }];

    test('every likely duplicate is filed under a key the report looks up (20,000 random pairs)', () => {
      const next = random(7);
      let duplicates = 0;
      for (let i = 0; i < 20_000; i++) {
        const r = RULES[i % RULES.length]!;
        const at = Date.UTC(2026, 0, 1) + next() * 365 * 24 * HOUR;
        const a: DuplicateFacts = { category: 'road', locationKey: next() < 0.5 ? 'x' : 'y', lat: 18 + next() * 36, lng: 74 + next() * 60, createdAt: new Date(at) };
        const b: DuplicateFacts = {
          category: 'road',
          locationKey: next() < 0.5 ? 'x' : 'z',
          lat: a.lat! + (next() - 0.5) * 0.003,
          lng: a.lng! + (next() - 0.5) * 0.004,
          createdAt: new Date(at + (next() - 0.5) * 2.2 * r.windowMs),
        };
        if (!isLikelyDuplicate(a, b, r)) continue;
        duplicates++;
        const lookedUp = new Set(duplicateLookupKeys(b, r));
        expect(duplicateFilingKeys(a).some((key) => lookedUp.has(key))).toBe(true);
      }
      expect(duplicates).toBeGreaterThan(1_000);
    });

    test('a key filed before placeKeysUnreadBefore(now) is never looked up by a report made now or later (20,000 random pairs)', () => {
      const next = random(11);
      let readOneBucketLater = 0;
      for (let i = 0; i < 20_000; i++) {
        const r = RULES[i % RULES.length]!;
        const now = Date.UTC(2026, 0, 1) + next() * 365 * 24 * HOUR;
        const cutoff = placeKeysUnreadBefore(new Date(now), r).getTime();
        // Most pairs at the edge: created and filed just before the cutoff, reported just after now.
        const filedAt = cutoff - (i % 2 === 0 ? next() * 2 * HOUR : next() * 5 * 24 * HOUR);
        const filed: DuplicateFacts = { category: 'road', locationKey: 'x', lat: 30 + next() * 0.01, lng: 116 + next() * 0.01, createdAt: new Date(filedAt - next() * HOUR) };
        const report: DuplicateFacts = { ...filed, lat: filed.lat! + (next() - 0.5) * 0.001, createdAt: new Date(now + (i % 2 === 0 ? next() * 2 * HOUR : next() * 10 * 24 * HOUR)) };
        const lookedUp = new Set(duplicateLookupKeys(report, r));
        expect(duplicateFilingKeys(filed).filter((key) => lookedUp.has(key))).toEqual([]);
        // The bucket term matters: the same case created one bucket later is often still read.
        const later = { ...filed, createdAt: new Date(filed.createdAt.getTime() + 72 * HOUR) };
        if (duplicateFilingKeys(later).some((key) => lookedUp.has(key))) readOneBucketLater++;
      }
      expect(readOneBucketLater).toBeGreaterThan(1_000);
    });

    test('nothing is filed or looked up without a category, and other categories never meet', () => {
      expect(duplicateFilingKeys({ ...base, category: undefined } as DuplicateFacts)).toEqual([]);
      expect(duplicateLookupKeys({ ...base, category: undefined } as DuplicateFacts, rule)).toEqual([]);
      const lookedUp = new Set(duplicateLookupKeys({ ...base, category: 'manhole' }, rule));
      expect(duplicateFilingKeys(base).filter((key) => lookedUp.has(key))).toEqual([]);
    });

    test('a place without coordinates is found by its location key alone', () => {
      expect(duplicateFilingKeys(base)).toEqual([`road|loc:幸福路12号|${Math.floor(base.createdAt.getTime() / (72 * HOUR))}`]);
      const bucket = Math.floor(base.createdAt.getTime() / (72 * HOUR));
      expect(duplicateLookupKeys(base, { windowMs: 72 * HOUR, maxDistanceMeters: 50 })).toEqual([bucket - 1, bucket, bucket + 1].map((b) => `road|loc:幸福路12号|${b}`));
    });
  });
});
