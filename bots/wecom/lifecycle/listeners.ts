import type { InboundDispatcher } from '../../../jobs/inbound/dispatcher';
import { KEY_PREFIX } from './buttonKeys';
import type { WecomLifecycle } from './wiring';

/** Card taps on the lifecycle's cards (event keys `lc_…`) go to its tap handlers. */
export function registerLifecycleListeners(dispatcher: Pick<InboundDispatcher, 'onAction'>, lifecycle: Pick<WecomLifecycle, 'handleTap'>): void {
  dispatcher.onAction(KEY_PREFIX, async (event) => {
    if (event.type === 'template_card_event') await lifecycle.handleTap(event);
  });
}
