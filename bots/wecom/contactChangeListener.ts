import { DirectorySyncRefused, type ContactChangeEvent as DirectoryChange, type DirectorySync } from '../../commands/directory/directorySync';
import type { InboundDispatcher } from '../../jobs/inbound/dispatcher';
import type { Logger } from '../../infra/logger';
import type { ContactChangeEvent } from './events';

/** The directory change a change_contact callback names (its ids; nothing else is trusted or needed). */
export function directoryChangeOf(event: ContactChangeEvent): DirectoryChange | undefined {
  const { changeType, partyId, userId, newUserId } = event;
  switch (changeType) {
    case 'create_party':
    case 'update_party':
    case 'delete_party':
      return partyId === undefined ? undefined : { changeType, partyId };
    case 'create_user':
    case 'update_user':
    case 'delete_user':
      return userId === undefined ? undefined : { changeType, userId, ...(newUserId !== undefined && { newUserId }) };
  }
}

/**
 * change_contact callbacks (received, verified and queued like every callback) re-read what they
 * name and update the organisation. A change the mapping cannot place is logged and not retried
 * (the nightly resync refuses it too until DIRECTORY_CONFIG is fixed); anything else that fails
 * (WeChat Work or the store unreachable) fails the job, so it is retried.
 */
export function listenToContactChanges(dispatcher: InboundDispatcher, sync: Pick<DirectorySync, 'applyChange'>, logger?: Logger): void {
  dispatcher.on('change_contact', async (event) => {
    const change = directoryChangeOf(event);
    if (!change) return;
    try {
      await sync.applyChange(change);
    } catch (error) {
      if (error instanceof DirectorySyncRefused) {
        logger?.error({ change, problems: error.problems }, 'change_contact not applied: the organisation it leads to is refused; fix DIRECTORY_CONFIG or WeChat Work');
        return;
      }
      throw error;
    }
  });
}
