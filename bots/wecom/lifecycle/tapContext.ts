import type { LifecycleDeps } from '../../../commands/deps';
import type { Logger } from '../../../infra/logger';
import type { Case } from '../../../src/cases';
import type { CardActionEvent } from '../events';
import type { CardRecord } from './cardKinds';
import type { CardStore } from './cardStore';
import type { CardUpdates } from './cardUpdates';
import type { LifecycleSender } from './sender';

export interface TapDeps {
  lifecycle: LifecycleDeps;
  cards: CardStore;
  sender: LifecycleSender;
  updates: CardUpdates;
  logger?: Logger;
}

/** One tap on one of our cards, with the card's record and the case as stored now. */
export interface Tap {
  event: CardActionEvent;
  card: CardRecord;
  case: Case;
}

export function selected(tap: Tap, questionKey: string): string | undefined {
  return tap.event.selectedItems.find((s) => s.questionKey === questionKey)?.optionIds[0];
}

/** Tells only the tapper why nothing happened (when the callback carried a response code). */
export async function answerTapper(deps: TapDeps, tap: Tap, message: string): Promise<void> {
  if (tap.event.responseCode === undefined) return;
  await deps.updates.forTapper(tap.case, tap.event.responseCode, tap.event.fromUser, message, tap.event.dedupeKey);
}
