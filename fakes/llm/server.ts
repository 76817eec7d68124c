import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers the next requests. */
export type FakeLlmMode =
  | { kind: 'answer'; content: string }
  | { kind: 'bad_json' }
  | { kind: 'hang' }
  | { kind: 'rate_limited' }
  | { kind: 'refusal' }
  | { kind: 'server_error' };

export interface FakeLlmCall {
  authorization: string | undefined;
  body: { model?: string; messages?: Array<{ role: string; content: string }>; response_format?: unknown };
}

/**
 * An OpenAI-compatible chat-completions server of our own, on loopback, for the parser's second-opinion
 * tests: it answers, sends broken JSON, hangs, rate-limits, refuses or fails, as told.
 */
export class FakeLlmServer {
  readonly calls: FakeLlmCall[] = [];
  mode: FakeLlmMode = { kind: 'answer', content: '{"category":"road","confidence":0.8,"reason":"路面破损"}' };
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    this.calls.push({ authorization: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeLlmCall['body'] });
    const mode = this.mode;
    const send = (status: number, body: string): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    };
    const completion = (message: Record<string, unknown>): string =>
      JSON.stringify({ id: 'fake', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }], usage: { prompt_tokens: 900, completion_tokens: 30, total_tokens: 930 } });
    switch (mode.kind) {
      case 'answer': return send(200, completion({ content: mode.content }));
      case 'bad_json': return send(200, completion({ content: '{"category": "road", confid' }));
      case 'refusal': return send(200, completion({ content: null, refusal: 'I cannot help with that.' }));
      case 'rate_limited': return send(429, JSON.stringify({ error: { message: 'Rate limit reached', type: 'rate_limit_error' } }));
      case 'server_error': return send(500, JSON.stringify({ error: { message: 'internal error' } }));
      case 'hang':
        this.hanging.add(res);
        return;
    }
  }
}
