import { verifyWebhookSignature, webhookSignature } from '../../../bots/hotline/signature';

describe('webhook signature (what a receiver checks)', () => {
  const secret = 'shared-secret';
  const body = '{"milestone":"accepted","orderNo":"GD1"}';
  const now = 1_800_000_000;
  const headers = (timestamp: number, signature = webhookSignature(secret, timestamp, body)) => ({ signature, timestamp: String(timestamp) });

  it('accepts the signature over timestamp and raw body within the window', () => {
    expect(webhookSignature(secret, now, body)).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, headers(now - 299), body, now)).toEqual({ ok: true });
  });

  it('refuses a changed body, another secret, a replay outside the window and missing headers', () => {
    expect(verifyWebhookSignature(secret, headers(now), body.replace('GD1', 'GD2'), now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature('other', headers(now), body, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature(secret, headers(now - 301), body, now)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhookSignature(secret, { signature: undefined, timestamp: String(now) }, body, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyWebhookSignature(secret, { signature: 'sha256=00', timestamp: 'soon' }, body, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyWebhookSignature(secret, headers(now, 'sha256=short'), body, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});
