import { changeDecision, describeChanges, editDecision, organiserDecision, seatsToGiveUp } from '../../../src/alliance/activityChanges';
import { confirmDecision, signUpDecision, withdrawDecision } from '../../../src/alliance/signupRules';
import { activity, at, participant, signup } from './fixtures';

const NOW = at('2026-05-05T00:00:00Z');
const cancelled = activity({ cancelledAt: at('2026-05-04T00:00:00Z'), cancelledBy: 'dispatcher', cancelReason: '暴雨' });

describe('changing a 哨令', () => {
  it('gives up the seats of the latest to sign up, whatever their seat number', () => {
    const seated = [
      signup({ participantId: 'early', seat: 3, signedUpAt: at('2026-05-02T00:00:00Z') }),
      signup({ participantId: 'late', seat: 1, signedUpAt: at('2026-05-02T03:00:00Z') }),
      signup({ participantId: 'middle', seat: 2, signedUpAt: at('2026-05-02T01:00:00Z') }),
    ];
    expect(seatsToGiveUp(seated, 1).map((s) => s.participantId)).toEqual(['middle', 'late']);
    expect(seatsToGiveUp(seated, 3)).toEqual([]);
  });

  it('refuses edits of a cancelled or started activity, and edits that end before they start or change nothing', () => {
    expect(editDecision(cancelled, { capacity: 3 }, NOW)).toMatchObject({ ok: false, code: 'cancelled', message: '「助老义诊」已由组织方取消（暴雨），无法再报到、确认或签到' });
    expect(changeDecision(activity(), at('2026-05-10T01:00:00Z'))).toMatchObject({ ok: false, code: 'started' });
    expect(editDecision(activity(), { endsAt: at('2026-05-10T00:30:00Z') }, NOW)).toMatchObject({ ok: false, code: 'invalid_activity' });
    expect(editDecision(activity(), { startsAt: at('2026-05-04T00:00:00Z') }, NOW)).toMatchObject({ ok: false, code: 'invalid_activity' });
    expect(editDecision(activity(), {}, NOW)).toMatchObject({ ok: false, code: 'invalid_activity' });
    expect(editDecision(activity(), { capacity: 1 }, NOW)).toEqual({ ok: true });
  });

  it('a cancelled activity refuses sign-up, withdrawal and confirmation', () => {
    expect(signUpDecision(cancelled, participant(), undefined, NOW)).toMatchObject({ code: 'cancelled' });
    expect(withdrawDecision(cancelled, signup(), NOW)).toMatchObject({ code: 'cancelled' });
    expect(confirmDecision(cancelled, signup({ confirmedAt: undefined }))).toMatchObject({ code: 'cancelled' });
  });

  it('only the member who posted it acts as its organiser', () => {
    expect(organiserDecision(activity(), 'dispatcher')).toEqual({ ok: true });
    expect(organiserDecision(activity(), 'someone-else')).toMatchObject({ ok: false, code: 'not_organiser' });
  });

  it('says what changed', () => {
    const when = (d: Date) => d.toISOString().slice(5, 16);
    const before = activity();
    expect(describeChanges(before, { ...before, capacity: 5 }, when)).toBe('名额改为 5 人');
    expect(describeChanges(before, { ...before, venue: { ...before.venue, name: '农机广场' }, startsAt: at('2026-05-11T01:00:00Z'), endsAt: at('2026-05-11T04:00:00Z') }, when)).toBe('时间改为 05-11T01:00–05-11T04:00，地点改为「农机广场」');
    expect(describeChanges(before, { ...before, waitlistCapacity: 9 }, when)).toBe('');
  });
});
