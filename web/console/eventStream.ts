import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import { canSee, type Scope } from '../../src/console/access';
import type { CaseSummary } from '../../src/console/summary';

const HEARTBEAT_MS = 15_000;

interface Listener {
  scope: Scope;
  stream: PassThrough;
}

/**
 * Server-sent events: every change of a case a viewer may see is pushed to their open pages at
 * once (the board re-reads itself), plus a heartbeat so proxies keep the connection.
 */
export class ConsoleEventStreams {
  private readonly listeners = new Set<Listener>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => {
      for (const l of this.listeners) l.stream.write(': ping\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  open(ctx: Context, scope: Scope): void {
    const stream = new PassThrough();
    const listener: Listener = { scope, stream };
    this.listeners.add(listener);
    const close = () => {
      this.listeners.delete(listener);
      stream.end();
    };
    ctx.req.on('close', close);
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    ctx.status = 200;
    ctx.body = stream;
    stream.write('retry: 2000\nevent: ready\ndata: {}\n\n');
  }

  caseChanged(summary: CaseSummary): void {
    const data = JSON.stringify({ id: summary.id, number: summary.number, state: summary.state });
    for (const l of this.listeners) if (canSee(l.scope, summary)) l.stream.write(`event: case\ndata: ${data}\n\n`);
  }

  get size(): number {
    return this.listeners.size;
  }

  /** Ends every stream (shutdown): open event streams would keep the HTTP server from closing. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const l of this.listeners) l.stream.end();
    this.listeners.clear();
  }
}
