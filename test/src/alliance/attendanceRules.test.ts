import { checkInDecision, checkOutDecision, creditedHours, distanceMeters, effectiveHours, type AttendanceContext } from '../../../src/alliance';
import { activity, at, signup } from './fixtures';

const context: AttendanceContext = {
  window: { checkInOpensMinutesBefore: 30, checkOutClosesMinutesAfter: 120 },
  rotation: { rotateSeconds: 60, secret: 'test-secret-test-secret' },
  timeZone: 'Asia/Shanghai',
};
const onSite = { method: 'location' as const, point: { latitude: 25.04, longitude: 102.7 } };

describe('check-in geometry', () => {
  it('measures metres between two points (0.001° of latitude is about 111 m)', () => {
    expect(distanceMeters({ latitude: 25.04, longitude: 102.7 }, { latitude: 25.041, longitude: 102.7 })).toBeCloseTo(111.2, 0);
  });

  it('accepts inside the radius and refuses outside it, saying how far', () => {
    const now = at('2026-05-10T01:05:00Z');
    const near = { method: 'location' as const, point: { latitude: 25.0417, longitude: 102.7 } }; // ~189 m
    const far = { method: 'location' as const, point: { latitude: 25.0419, longitude: 102.7 } }; // ~211 m
    expect(checkInDecision(activity(), signup(), near, now, context)).toEqual({ ok: true });
    const refused = checkInDecision(activity(), signup(), far, now, context);
    expect(refused).toMatchObject({ ok: false, code: 'too_far', message: expect.stringContaining('约 211 米') });
  });

  it('refuses before the window opens, after the end, twice, without a seat or confirmation', () => {
    expect(checkInDecision(activity(), signup(), onSite, at('2026-05-10T00:29:00Z'), context)).toMatchObject({ code: 'too_early' });
    expect(checkInDecision(activity(), signup(), onSite, at('2026-05-10T00:30:00Z'), context)).toEqual({ ok: true });
    expect(checkInDecision(activity(), signup(), onSite, at('2026-05-10T04:00:00Z'), context)).toMatchObject({ code: 'ended' });
    expect(checkInDecision(activity(), signup({ checkedInAt: at('2026-05-10T01:00:00Z') }), onSite, at('2026-05-10T01:10:00Z'), context)).toMatchObject({ code: 'already_checked_in', message: expect.stringContaining('09:00') });
    expect(checkInDecision(activity(), signup({ seat: undefined, waitlistedAt: at('2026-05-02T00:00:00Z') }), onSite, at('2026-05-10T01:10:00Z'), context)).toMatchObject({ code: 'not_seated' });
    expect(checkInDecision(activity(), signup({ confirmedAt: undefined }), onSite, at('2026-05-10T01:10:00Z'), context)).toMatchObject({ code: 'not_confirmed' });
    expect(checkInDecision(activity(), undefined, onSite, at('2026-05-10T01:10:00Z'), context)).toMatchObject({ code: 'not_signed_up' });
  });

  it('check-out needs a check-in, happens once and closes two hours after the end', () => {
    const inAt = at('2026-05-10T01:00:00Z');
    expect(checkOutDecision(activity(), signup(), onSite, at('2026-05-10T03:00:00Z'), context)).toMatchObject({ code: 'not_checked_in' });
    expect(checkOutDecision(activity(), signup({ checkedInAt: inAt }), onSite, at('2026-05-10T06:00:00Z'), context)).toEqual({ ok: true });
    expect(checkOutDecision(activity(), signup({ checkedInAt: inAt }), onSite, at('2026-05-10T06:01:00Z'), context)).toMatchObject({ code: 'checkout_closed' });
    expect(checkOutDecision(activity(), signup({ checkedInAt: inAt, checkedOutAt: at('2026-05-10T03:00:00Z') }), onSite, at('2026-05-10T03:10:00Z'), context)).toMatchObject({ code: 'already_checked_out' });
  });
});

describe('hours', () => {
  it('count the part inside the activity in whole half hours, rounded down', () => {
    const a = activity();
    // 08:50–11:20 local: counted from 09:00 → 2 h 20 min → 2.0 h
    expect(creditedHours(a, at('2026-05-10T00:50:00Z'), at('2026-05-10T03:20:00Z'))).toBe(2);
    // 09:10–12:40 local: to 12:00 → 2 h 50 min → 2.5 h
    expect(creditedHours(a, at('2026-05-10T01:10:00Z'), at('2026-05-10T04:40:00Z'))).toBe(2.5);
    expect(creditedHours(a, at('2026-05-10T01:10:00Z'), undefined)).toBe(0);
    expect(creditedHours(a, at('2026-05-10T01:10:00Z'), at('2026-05-10T01:30:00Z'))).toBe(0);
  });

  it('the organiser’s latest correction wins', () => {
    const s = signup({ checkedInAt: at('2026-05-10T01:00:00Z'), checkedOutAt: at('2026-05-10T04:00:00Z') });
    expect(effectiveHours(activity(), s)).toBe(3);
    const corrected = { ...s, corrections: [{ hours: 1, reason: '提前离场', by: 'x', at: at('2026-05-11T00:00:00Z') }, { hours: 2.5, reason: '复核', by: 'x', at: at('2026-05-12T00:00:00Z') }] };
    expect(effectiveHours(activity(), corrected)).toBe(2.5);
    expect(effectiveHours(activity(), { ...corrected, withdrawnAt: at('2026-05-05T00:00:00Z') })).toBe(0);
  });
});
