import type { Case } from '../../../src/cases';
import type { TemplateCard } from '../cards';
import { templateCard, text, toDepartment, toUsers, type DepartmentChat } from '../messages';
import type { CardKind } from './cardKinds';
import type { CardStore } from './cardStore';
import type { LifecycleOutbox } from './ports';

export interface CardToSend {
  kind: CardKind;
  taskId: string;
  card: TemplateCard;
  recipients: string[];
  deptCode?: string;
  assignmentIndex?: number;
}

/**
 * Everything the lifecycle sends goes through here: cards are recorded under their task id before
 * they are queued (a tap may come back before the send is confirmed), and every message carries
 * an idempotency key derived from the case, the step and the recipient.
 */
export class LifecycleSender {
  constructor(
    private readonly outbox: LifecycleOutbox,
    private readonly cards: CardStore,
    private readonly now: () => Date,
  ) {}

  async card(c: Case, send: CardToSend): Promise<void> {
    const recipients = [...new Set(send.recipients)];
    if (recipients.length === 0) return;
    await this.cards.record({
      taskId: send.taskId,
      kind: send.kind,
      caseId: c.id,
      caseNumber: c.number,
      ...(send.deptCode !== undefined && { deptCode: send.deptCode }),
      ...(send.assignmentIndex !== undefined && { assignmentIndex: send.assignmentIndex }),
      timelineLength: c.timeline.length,
      recipients,
      createdAt: this.now(),
    });
    await this.outbox.enqueueOutbound(toUsers(recipients, templateCard(send.card)), `case:${c.id}:card:${send.taskId}`);
  }

  async textToUsers(userIds: readonly string[], content: string, key: string): Promise<void> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return;
    await this.outbox.enqueueOutbound(toUsers(unique, text(content)), key);
  }

  async groupNotice(chat: DepartmentChat, content: string, key: string, mentionUserIds: readonly string[] = []): Promise<void> {
    await this.outbox.enqueueOutbound(toDepartment(chat, { format: 'text', content, mentionUserIds }), key);
  }
}
