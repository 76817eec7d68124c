import type { Case } from '../../../src/cases';
import { replaceCard, replaceCardButton, type TemplateCard } from '../cards';
import { cardUpdate } from '../messages';
import type { LifecycleOutbox } from './ports';

/** replace_name is a button label: keep it short enough to read on a phone. */
function label(text: string, max = 24): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Card updates after a tap, each consuming the tap's one-shot response code. */
export class CardUpdates {
  constructor(private readonly outbox: LifecycleOutbox) {}

  /** Only the person who tapped sees this (a refusal, a stale card, "not yours"). */
  async forTapper(c: Case | undefined, responseCode: string, userId: string, text: string, tapKey: string): Promise<void> {
    await this.outbox.enqueueOutbound(cardUpdate(replaceCardButton(responseCode, label(text), { userIds: [userId] })), `${c ? `case:${c.id}:` : ''}card-update:${tapKey}`);
  }

  /** Every recipient of the card sees the outcome as the greyed-out button text. */
  async forAll(c: Case, responseCode: string, text: string, tapKey: string): Promise<void> {
    await this.outbox.enqueueOutbound(cardUpdate(replaceCardButton(responseCode, label(text), 'all')), `case:${c.id}:card-update:${tapKey}`);
  }

  /** Every recipient gets the card redrawn (e.g. with who accepted and when) and `replaceText` in place of the buttons. */
  async redrawForAll(c: Case, responseCode: string, card: TemplateCard, replaceText: string, tapKey: string): Promise<void> {
    await this.outbox.enqueueOutbound(cardUpdate(replaceCard(responseCode, card, 'all', label(replaceText, 40))), `case:${c.id}:card-update:${tapKey}`);
  }
}
