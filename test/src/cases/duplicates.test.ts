import { isLikelyDuplicate, locationKey, findDuplicates } from '../../../src/cases';
import { HOUR, newCase } from './fixtures';

describe('duplicates', () => {
  const base = { category: 'road', locationKey: '幸福路12号', createdAt: new Date('2026-11-23T02:00:00Z') };
  const rule = { windowMs: 24 * HOUR, maxDistanceMeters: 50 };

  test('location keys ignore spacing, punctuation and filler words', () => {
    expect(locationKey('幸福路 12 号，门口')).toBe('幸福路12号');
    expect(locationKey('  ')).toBeUndefined();
  });

  test('same category, same place, within the window', () => {
    const later = { ...base, createdAt: new Date(base.createdAt.getTime() + 23 * HOUR) };
    expect(isLikelyDuplicate(base, later, rule)).toBe(true);
    expect(isLikelyDuplicate(base, { ...later, createdAt: new Date(base.createdAt.getTime() + 25 * HOUR) }, rule)).toBe(false);
    expect(isLikelyDuplicate(base, { ...later, category: 'manhole' }, rule)).toBe(false);
    expect(isLikelyDuplicate(base, { ...later, locationKey: '幸福路14号' }, rule)).toBe(false);
  });

  test('nearby coordinates count as the same place', () => {
    const a = { ...base, locationKey: 'a', lat: 39.9, lng: 116.4 };
    expect(isLikelyDuplicate(a, { ...a, locationKey: 'b', lat: 39.9003, lng: 116.4 }, rule)).toBe(true); // ~33 m
    expect(isLikelyDuplicate(a, { ...a, locationKey: 'b', lat: 39.901, lng: 116.4 }, rule)).toBe(false); // ~111 m
  });

  test('findDuplicates keeps open cases only, oldest first', () => {
    const older = newCase({}, 'old');
    const newer = { ...newCase({}, 'new'), createdAt: new Date(older.createdAt.getTime() + HOUR) };
    const closed = { ...newCase({}, 'closed'), state: 'closed' as const };
    const found = findDuplicates({ ...base, createdAt: newer.createdAt }, [newer, closed, older], rule);
    expect(found.map((c) => c.id)).toEqual(['old', 'new']);
  });
});
