import type Redis from 'ioredis';
import type { Logger } from '../infra/logger';
import type { CaseSummary } from '../src/console/summary';

const DATE_FIELDS = ['createdAt', 'updatedAt', 'closedAt'] as const;

type Wire = Record<string, unknown>;

function asDate(value: unknown): Date {
  return new Date(String(value));
}

/** A summary back from JSON: the instants were ISO strings on the wire. */
export function summaryFromWire(wire: Wire): CaseSummary {
  const c = { ...wire } as Wire;
  for (const field of DATE_FIELDS) if (c[field] !== undefined) c[field] = asDate(c[field]);
  c.assignments = (wire.assignments as Wire[]).map((a) => ({ ...a, whistledAt: asDate(a.whistledAt) }));
  c.clocks = (wire.clocks as Wire[]).map((k) => ({ ...k, since: asDate(k.since), due: asDate(k.due) }));
  return c as unknown as CaseSummary;
}

/**
 * Every changed case's summary, published on Redis by whichever process changed it (web or worker)
 * and heard by every web process's read model. Pub/sub is fire-and-forget: a web process that was
 * disconnected reloads its read model when it reconnects.
 */
export class CaseSummaryFeed {
  private subscriber: Redis | undefined;
  private readonly channel: string;

  constructor(private readonly redis: Redis, prefix: string, private readonly logger?: Logger) {
    this.channel = `${prefix}:console:case-changed`;
  }

  async publish(summary: CaseSummary): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(summary));
  }

  /** Calls `onSummary` for every published change; `onReconnect` after a lost connection came back. */
  async subscribe(onSummary: (s: CaseSummary) => void, onReconnect: () => void): Promise<void> {
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    let lost = false;
    subscriber.on('error', (error: Error) => this.logger?.warn({ err: error.message }, 'case feed connection error'));
    subscriber.on('close', () => void (lost = true));
    subscriber.on('ready', () => {
      if (!lost) return;
      lost = false;
      onReconnect();
    });
    subscriber.on('message', (_channel: string, message: string) => {
      try {
        onSummary(summaryFromWire(JSON.parse(message) as Wire));
      } catch (error) {
        this.logger?.warn({ err: (error as Error).message }, 'case feed: unreadable message ignored');
      }
    });
    await subscriber.subscribe(this.channel);
  }

  async close(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
    this.subscriber = undefined;
  }
}
