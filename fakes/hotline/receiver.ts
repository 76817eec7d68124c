import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from '../../bots/hotline/signature';

/** What the receiver does with the next requests: accept, fail with 503, refuse with 400, or never answer. */
export type ReceiverMode = 'accept' | 'unavailable' | 'refuse' | 'hang';

export interface ReceivedPush {
  eventId: string;
  body: Record<string, unknown>;
  at: number;
}

/**
 * A hotline platform's webhook endpoint as a real HTTP server, the way docs/hotline-api.md tells a
 * platform to build one: it verifies the signature and timestamp, dedupes on the event id, and can be
 * told to fail on demand. Pushes with a bad signature are counted and refused with 401.
 */
export class FakeHotlineReceiver {
  readonly accepted: ReceivedPush[] = [];
  /** Every request, in arrival order, with the answer given. */
  readonly attempts: { eventId: string; status: number | 'hung'; at: number }[] = [];
  badSignatures = 0;
  private mode: ReceiverMode = 'accept';
  private remaining = Infinity;
  private readonly hung: ServerResponse[] = [];
  private readonly server: Server;
  private readonly seen = new Set<string>();
  baseUrl = '';

  constructor(private readonly secret: string) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get url(): string {
    return `${this.baseUrl}/hotline/progress`;
  }

  /** Answer the next `count` requests (default: all until told otherwise) in `mode`, then accept again. */
  failNext(mode: ReceiverMode, count = Infinity): void {
    this.mode = mode;
    this.remaining = count;
  }

  recover(): void {
    this.failNext('accept');
  }

  async close(): Promise<void> {
    for (const res of this.hung.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const eventId = String(req.headers[EVENT_ID_HEADER] ?? '');
    const check = verifyWebhookSignature(
      this.secret,
      { signature: req.headers[SIGNATURE_HEADER] as string | undefined, timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined },
      raw,
      Math.floor(Date.now() / 1000),
    );
    const mode = this.remaining > 0 ? this.mode : 'accept';
    if (this.remaining > 0 && this.mode !== 'accept') this.remaining -= 1;
    if (mode === 'hang') {
      this.attempts.push({ eventId, status: 'hung', at: Date.now() });
      this.hung.push(res);
      return;
    }
    const status = !check.ok ? 401 : mode === 'unavailable' ? 503 : mode === 'refuse' ? 400 : 200;
    this.attempts.push({ eventId, status, at: Date.now() });
    if (!check.ok) this.badSignatures += 1;
    if (status === 200 && !this.seen.has(eventId)) {
      this.seen.add(eventId);
      this.accepted.push({ eventId, body: JSON.parse(raw) as Record<string, unknown>, at: Date.now() });
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: status === 200 }));
  }
}
