import { signUpDecision } from '../../../src/alliance';
import { activity, at, participant, signup } from './fixtures';

describe('sign-up', () => {
  it('refuses a participant not targeted, a repeat, and a sign-up at or after the start', () => {
    const before = at('2026-05-09T00:00:00Z');
    expect(signUpDecision(activity(), participant(), undefined, before)).toEqual({ ok: true });
    expect(signUpDecision(activity(), participant({ kind: 'social_worker' }), undefined, before)).toMatchObject({ ok: false, code: 'not_targeted' });
    expect(signUpDecision(activity(), participant(), signup(), before)).toMatchObject({ ok: false, code: 'already_signed_up', message: expect.stringContaining('第 1 个名额') });
    expect(signUpDecision(activity(), participant(), undefined, activity().startsAt)).toMatchObject({ ok: false, code: 'started' });
  });
});
