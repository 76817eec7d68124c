import { duplicateRedis, type RedisClient } from '../infra/redis';
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
 * Keeps a summary in the snapshot hash unless a newer version is there (each field is
 * `version|json`), and publishes it when kept (ARGV[4] = '1').
 */
const KEEP_NEWER = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local bar = string.find(current, '|', 1, true)
  if bar and tonumber(string.sub(current, 1, bar - 1)) > tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[3])
if ARGV[4] == '1' then redis.call('PUBLISH', KEYS[2], ARGV[3]) end
return 1`;

const SNAPSHOT_PAGE = 2000;

/**
 * Every changed case's summary, published on Redis by whichever process changed it (web or worker)
 * and heard by every web process's read model. Pub/sub is fire-and-forget: a web process that was
 * disconnected reloads its read model when it reconnects.
 *
 * The same summaries are kept in a snapshot hash, so that a web process starting up reads 100,000
 * summaries from Redis in seconds instead of scanning the store's case documents for minutes. The
 * snapshot counts as whole only once a store scan has filled it (`markComplete`); a flushed Redis
 * loses the mark and the next start scans the store again.
 */
export class CaseSummaryFeed {
  private subscriber: RedisClient | undefined;
  private readonly channel: string;
  private readonly snapshotKey: string;
  private readonly completeKey: string;

  constructor(private readonly redis: RedisClient, prefix: string, private readonly logger?: Logger) {
    this.channel = `${prefix}:console:case-changed`;
    this.snapshotKey = `${prefix}:console:summaries`;
    this.completeKey = `${prefix}:console:summaries:complete`;
  }

  /** Keeps the summary in the snapshot (unless a newer one is there) and tells every read model. */
  async publish(summary: CaseSummary): Promise<void> {
    await this.redis.eval(KEEP_NEWER, 2, this.snapshotKey, this.channel, summary.id, String(summary.version), JSON.stringify(summary), '1');
  }

  /** Keeps summaries in the snapshot without telling anyone (a store scan filling it). */
  async keep(summaries: readonly CaseSummary[]): Promise<void> {
    if (summaries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const s of summaries) pipeline.eval(KEEP_NEWER, 2, this.snapshotKey, this.channel, s.id, String(s.version), JSON.stringify(s), '0');
    await pipeline.exec();
  }

  async forget(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.hdel(this.snapshotKey, ...ids);
  }

  async markComplete(): Promise<void> {
    await this.redis.set(this.completeKey, new Date().toISOString());
  }

  async isComplete(): Promise<boolean> {
    return (await this.redis.exists(this.completeKey)) === 1;
  }

  /** Every summary in the snapshot, a page at a time (an unreadable entry is skipped and logged). */
  async *snapshot(): AsyncGenerator<CaseSummary[]> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.snapshotKey, cursor, 'COUNT', SNAPSHOT_PAGE);
      cursor = next;
      const page: CaseSummary[] = [];
      for (let i = 1; i < flat.length; i += 2) {
        const entry = flat[i] ?? '';
        try {
          page.push(summaryFromWire(JSON.parse(entry.slice(entry.indexOf('|') + 1)) as Wire));
        } catch (error) {
          this.logger?.warn({ err: (error as Error).message, caseId: flat[i - 1] }, 'console snapshot: unreadable summary skipped (the store scan after start puts it back)');
        }
      }
      yield page;
    } while (cursor !== '0');
  }

  /** Calls `onSummary` for every published change; `onReconnect` after a lost connection came back. */
  async subscribe(onSummary: (s: CaseSummary) => void, onReconnect: () => void): Promise<void> {
    const subscriber = duplicateRedis(this.redis);
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
