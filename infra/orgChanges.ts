import { duplicateRedis, type RedisClient } from './redis';
import type { Logger } from './logger';

/** Something that says "the organisation changed": caches of it listen. */
export interface OrgChangeSource {
  onChange(listener: (districtId: string) => void): void;
}

export interface OrgChangeNotice {
  districtId: string;
  version: number;
}

export function orgChangeChannel(prefix: string): string {
  return `${prefix}:org:changed`;
}

/**
 * Tells every process through Redis pub/sub that the organisation was replaced (a directory sync,
 * a change_contact callback), so a removed member's roles are gone everywhere at once rather than
 * when a cache expires. Subscribing takes a connection of its own, opened on the first listener.
 */
export class RedisOrgChanges implements OrgChangeSource {
  private subscriber: RedisClient | undefined;
  private subscribed: Promise<unknown> | undefined;
  private readonly listeners: ((districtId: string) => void)[] = [];

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly logger?: Logger,
  ) {}

  get channel(): string {
    return orgChangeChannel(this.prefix);
  }

  async publish(notice: OrgChangeNotice): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(notice));
  }

  onChange(listener: (districtId: string) => void): void {
    this.listeners.push(listener);
    if (this.subscriber) return;
    const subscriber = duplicateRedis(this.redis);
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.logger?.warn({ err: error.message }, 'organisation change subscriber: redis error'));
    subscriber.on('message', (_channel: string, message: string) => this.deliver(message));
    this.subscribed = subscriber.subscribe(this.channel).catch((error: unknown) => this.logger?.error({ err: error }, 'could not subscribe to organisation changes; caches expire on their own only'));
  }

  /** Resolves once the subscription is live (tests; start-up). */
  async ready(): Promise<void> {
    await this.subscribed;
  }

  async close(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  private deliver(message: string): void {
    let districtId = '';
    try {
      const parsed: unknown = JSON.parse(message);
      if (typeof parsed === 'object' && parsed !== null && 'districtId' in parsed && typeof parsed.districtId === 'string') districtId = parsed.districtId;
    } catch {
      // A malformed notice still means "something changed".
    }
    for (const listener of this.listeners) listener(districtId);
  }
}
