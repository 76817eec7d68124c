import { checkInDecision, currentQrToken, verifyQrToken, type AttendanceContext } from '../../../src/alliance';
import { activity, at, signup } from './fixtures';

const context: AttendanceContext = {
  window: { checkInOpensMinutesBefore: 30, checkOutClosesMinutesAfter: 120 },
  rotation: { rotateSeconds: 60, secret: 'test-secret-test-secret' },
  timeZone: 'Asia/Shanghai',
};

describe('rotating QR codes', () => {
  const now = at('2026-05-10T01:05:30Z');
  it('accepts the current and the previous code, refuses older ones, other activities and forgeries', () => {
    const token = currentQrToken('A000000000001', now, context.rotation);
    expect(verifyQrToken(token, 'A000000000001', now, context.rotation)).toEqual({ ok: true });
    expect(verifyQrToken(token, 'A000000000001', new Date(now.getTime() + 60_000), context.rotation)).toEqual({ ok: true });
    expect(verifyQrToken(token, 'A000000000001', new Date(now.getTime() + 120_000), context.rotation)).toMatchObject({ code: 'qr_expired' });
    expect(verifyQrToken(currentQrToken('A000000000002', now, context.rotation), 'A000000000001', now, context.rotation)).toMatchObject({ code: 'qr_other_activity' });
    expect(verifyQrToken(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, 'A000000000001', now, context.rotation)).toMatchObject({ code: 'qr_invalid' });
    expect(verifyQrToken(currentQrToken('A000000000001', now, { ...context.rotation, secret: 'another-secret-xxxxxx' }), 'A000000000001', now, context.rotation)).toMatchObject({ code: 'qr_invalid' });
    expect(verifyQrToken('hello', 'A000000000001', now, context.rotation)).toMatchObject({ code: 'qr_invalid' });
    expect(checkInDecision(activity(), signup(), { method: 'qr', token }, now, context)).toEqual({ ok: true });
  });
});
