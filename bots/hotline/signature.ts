import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a signed webhook request (see docs/hotline-api.md, "Verifying a push"). */
export const SIGNATURE_HEADER = 'x-whistlebot-signature';
export const TIMESTAMP_HEADER = 'x-whistlebot-timestamp';
export const EVENT_ID_HEADER = 'x-whistlebot-event-id';

/** `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>` under the platform's shared secret. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/** What a receiver does: recompute the signature over the raw body and refuse a timestamp outside the window. */
export function verifyWebhookSignature(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  rawBody: string,
  nowSeconds: number,
  windowSeconds = 300,
): SignatureCheck {
  if (!headers.signature || !headers.timestamp || !/^\d{1,12}$/.test(headers.timestamp)) return { ok: false, reason: 'missing' };
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowSeconds - timestamp) > windowSeconds) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(webhookSignature(secret, timestamp, rawBody));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
