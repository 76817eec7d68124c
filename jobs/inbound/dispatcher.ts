import type { Logger } from '../../infra/logger';
import type { InboundEvent, InboundEventOf, InboundEventType } from '../../bots/wecom/events';

export type InboundListener<E extends InboundEvent = InboundEvent> = (event: E) => Promise<void> | void;

/** Card taps and menu clicks both carry an EventKey; `onAction` listeners match on its prefix. */
export type ActionEvent = InboundEventOf<'template_card_event'> | InboundEventOf<'click'>;

interface ActionListener {
  prefix: string;
  listener: InboundListener<ActionEvent>;
}

/**
 * Routes typed inbound events to listeners, bolt-style. Other modules register their listeners
 * at start-up; the worker calls `dispatch` once per new event. A listener that throws fails the
 * job, so BullMQ retries it.
 */
export class InboundDispatcher {
  private readonly byType = new Map<InboundEventType, InboundListener[]>();
  private readonly actions: ActionListener[] = [];

  constructor(private readonly logger?: Logger) {}

  on<T extends InboundEventType>(type: T, listener: InboundListener<InboundEventOf<T>>): this {
    const list = this.byType.get(type) ?? [];
    // The map is keyed by `type`, so only events of that type ever reach this listener.
    list.push(listener as InboundListener);
    this.byType.set(type, list);
    return this;
  }

  /** Listens to card taps and menu clicks whose EventKey starts with `eventKeyPrefix`. */
  onAction(eventKeyPrefix: string, listener: InboundListener<ActionEvent>): this {
    this.actions.push({ prefix: eventKeyPrefix, listener });
    return this;
  }

  /** Runs every matching listener in registration order; returns how many ran. */
  async dispatch(event: InboundEvent): Promise<number> {
    const listeners: InboundListener[] = [...(this.byType.get(event.type) ?? [])];
    if (event.type === 'template_card_event' || event.type === 'click') {
      const key = event.eventKey;
      for (const action of this.actions) {
        if (key.startsWith(action.prefix)) listeners.push(() => action.listener(event));
      }
    }
    if (listeners.length === 0) {
      this.logger?.info({ type: event.type, key: event.dedupeKey }, 'inbound event has no listener');
      return 0;
    }
    for (const listener of listeners) await listener(event);
    return listeners.length;
  }
}
