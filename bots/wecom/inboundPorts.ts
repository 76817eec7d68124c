import type { InboundEvent } from './events';

/**
 * Where an accepted callback goes before we answer WeChat Work. Implementations must be durable
 * and idempotent per `dedupeKey`: returning means the event will be processed exactly once.
 */
export interface InboundAcceptor {
  /** 'duplicate' when a retry of this event was accepted before. */
  accept(event: InboundEvent): Promise<'new' | 'duplicate'>;
}
