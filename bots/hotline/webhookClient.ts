import { EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from './signature';

export interface WebhookTarget {
  url: string;
  secret: string;
  timeoutMs: number;
}

/** A push the platform answered in a way a retry cannot change (a 4xx other than 408 and 429). */
export class WebhookRefused extends Error {
  constructor(readonly status: number, detail: string) {
    super(`the hotline platform refused the push with HTTP ${status}: ${detail.slice(0, 200)} — check the payload against docs/hotline-api.md and the shared secret`);
    this.name = 'WebhookRefused';
  }
}

/** A push that may succeed later: network error, timeout, 408, 429 or 5xx. */
export class WebhookUnavailable extends Error {
  constructor(detail: string) {
    super(`the hotline platform is unavailable (${detail}); the push is retried with backoff`);
    this.name = 'WebhookUnavailable';
  }
}

/**
 * POSTs one signed JSON event. Signed at send time, so a retry hours later still falls inside the
 * receiver's timestamp window; the event id stays the same across retries for the receiver to dedupe.
 */
export async function postSignedEvent(target: WebhookTarget, eventId: string, body: string, now: () => number = Date.now): Promise<void> {
  const timestamp = Math.floor(now() / 1000);
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: webhookSignature(target.secret, timestamp, body),
        [EVENT_ID_HEADER]: eventId,
      },
      body,
      signal: AbortSignal.timeout(target.timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    throw new WebhookUnavailable(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return;
  if (response.status === 408 || response.status === 429 || response.status >= 500) throw new WebhookUnavailable(`HTTP ${response.status}`);
  throw new WebhookRefused(response.status, text);
}
