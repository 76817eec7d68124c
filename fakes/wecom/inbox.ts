export type InboxChannel = 'app' | 'appchat' | 'webhook';

export interface CardUpdateRecord {
  at: Date;
  /** 'all' for atall=1, otherwise the userids the update was addressed to. */
  for: 'all' | string[];
  body: Record<string, unknown>;
}

/** One message as WeChat Work would have delivered it. */
export interface InboxMessage {
  msgid: string;
  channel: InboxChannel;
  msgtype: string;
  /** The request body exactly as we received it. */
  body: Record<string, unknown>;
  at: Date;
  /** Set for interactive cards: the code returned by message/send. */
  responseCode?: string;
  updates: CardUpdateRecord[];
}

/** Per-recipient view of what was delivered: users, departments, app chats and webhook keys. */
export class Inbox {
  private readonly boxes = new Map<string, InboxMessage[]>();
  private readonly byId = new Map<string, InboxMessage>();
  private readonly order: InboxMessage[] = [];

  deliver(message: InboxMessage, recipients: string[]): void {
    this.byId.set(message.msgid, message);
    this.order.push(message);
    for (const recipient of recipients) {
      const box = this.boxes.get(recipient) ?? [];
      box.push(message);
      this.boxes.set(recipient, box);
    }
  }

  user(userId: string): InboxMessage[] {
    return this.boxes.get(`user:${userId}`) ?? [];
  }

  party(partyId: string | number): InboxMessage[] {
    return this.boxes.get(`party:${partyId}`) ?? [];
  }

  appChat(chatId: string): InboxMessage[] {
    return this.boxes.get(`appchat:${chatId}`) ?? [];
  }

  webhook(key: string): InboxMessage[] {
    return this.boxes.get(`webhook:${key}`) ?? [];
  }

  message(msgid: string): InboxMessage | undefined {
    return this.byId.get(msgid);
  }

  /** Every delivered message, oldest first. */
  all(): InboxMessage[] {
    return [...this.order];
  }

  /** Recipient → messages, JSON-friendly, for the sandbox console. */
  snapshot(): Record<string, InboxMessage[]> {
    return Object.fromEntries(this.boxes);
  }

  clear(): void {
    this.boxes.clear();
    this.byId.clear();
    this.order.length = 0;
  }
}
