import type { TemplateCard } from '../cards';
import { replaceCard, replaceCardButton } from '../cards';
import { cardUpdate, templateCard, text, toUsers } from '../messages';
import type { Outbound } from './ports';

/**
 * Answers to one inbound event. Each answer's outbox key is the event's dedupe key plus a label,
 * so a retried event never sends the same answer twice.
 */
export class Replier {
  constructor(
    private readonly outbound: Outbound,
    readonly userId: string,
    private readonly eventKey: string,
  ) {}

  text(content: string, label = 'text'): Promise<void> {
    return this.outbound.send(toUsers([this.userId], text(content)), this.key(label));
  }

  card(card: TemplateCard, label = 'card'): Promise<void> {
    return this.outbound.send(toUsers([this.userId], templateCard(card)), this.key(label));
  }

  /** Replaces the tapped card for the tapper; without a response code a new card is sent instead. */
  updateCard(responseCode: string | undefined, card: TemplateCard, replaceText?: string): Promise<void> {
    if (responseCode === undefined) return this.card(card, 'card-update');
    return this.outbound.send(cardUpdate(replaceCard(responseCode, card, { userIds: [this.userId] }, replaceText)), this.key('card-update'));
  }

  /** Greys out the tapped card's buttons with a label; falls back to a text without a response code. */
  disableCard(responseCode: string | undefined, label: string): Promise<void> {
    if (responseCode === undefined) return this.text(label, 'card-update');
    return this.outbound.send(cardUpdate(replaceCardButton(responseCode, label, { userIds: [this.userId] })), this.key('card-update'));
  }

  private key(label: string): string {
    return `conversation:${this.eventKey}:${label}`;
  }
}
