import type { InboundDispatcher } from '../../../jobs/inbound/dispatcher';
import { DRAFT_ACTION_PREFIX } from './actionKey';
import { handleLocation, handleMedia } from './attachmentFlow';
import type { ConversationDeps } from './deps';
import { handleDraftAction } from './draftActions';
import { handleText } from './textFlow';

/** Messages from members (text, photos, voice, video, files, location) and taps on draft cards. */
export function registerConversation(dispatcher: Pick<InboundDispatcher, 'on' | 'onAction'>, deps: ConversationDeps): void {
  dispatcher.on('text', (event) => handleText(deps, event));
  dispatcher.on('image', (event) => handleMedia(deps, event));
  dispatcher.on('voice', (event) => handleMedia(deps, event));
  dispatcher.on('video', (event) => handleMedia(deps, event));
  dispatcher.on('file', (event) => handleMedia(deps, event));
  dispatcher.on('location', (event) => handleLocation(deps, event));
  dispatcher.onAction(DRAFT_ACTION_PREFIX, async (event) => {
    if (event.type === 'template_card_event') await handleDraftAction(deps, event);
  });
}
