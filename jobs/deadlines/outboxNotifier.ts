import type { OrgDirectory } from '../../commands/deps';
import { Recipients, type Audience } from '../../commands/recipients';
import { text, toDepartment, toUsers, type OutboundMessage } from '../../bots/wecom/messages';
import type { Outbox } from '../outbox';
import { caseHistory, noticeText } from './notice';
import type { DeadlineNotice, DeadlineNotifier, NoticeReceipt } from './ports';

export interface OutboxDeadlineNotifierOptions {
  outbox: Pick<Outbox, 'enqueueOutbound'>;
  org: OrgDirectory;
  /** For the times in the text (the SLA table's zone). */
  timeZone: string;
}

function messageFor(who: Audience, content: string): OutboundMessage | undefined {
  if (who.chat) return toDepartment(who.chat, { format: 'text', content, mentionUserIds: who.userIds });
  return who.userIds.length > 0 ? toUsers(who.userIds, text(content)) : undefined;
}

/**
 * Reminders and escalations through the WeCom outbox. A group robot @-mentions the people
 * (mentioned_list); an app chat cannot, so there the text names them. The outbox idempotency key
 * is the alert's timeline key, so a job retried after a crash never sends the same alert twice.
 */
export class OutboxDeadlineNotifier implements DeadlineNotifier {
  private readonly recipients: Recipients;

  constructor(private readonly options: OutboxDeadlineNotifierOptions) {
    this.recipients = new Recipients(options.org);
  }

  async send(notice: DeadlineNotice): Promise<NoticeReceipt> {
    const [who, owner] = await Promise.all([this.recipients.deadlineAudience(notice.case, notice.slot, notice.alert), this.recipients.limitOwnerName(notice.case, notice.slot)]);
    const named = who.chat?.kind === 'appchat' ? who.names : [];
    const { summary, content } = noticeText({
      case: notice.case,
      slot: notice.slot,
      alert: notice.alert,
      now: notice.now,
      timeZone: this.options.timeZone,
      ownerName: owner,
      namedPeople: named,
      history: notice.history.length > 0 ? notice.history : caseHistory(notice.case),
    });
    const message = messageFor(who, content);
    if (message) await this.options.outbox.enqueueOutbound(message, `deadline:${notice.case.id}:${notice.key}`);
    return { to: who.label, recipients: message ? who.names.join('、') : '（未配置群聊或负责人，未发送）', summary };
  }
}
