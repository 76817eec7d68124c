import type { TemplateCard, UpdateTemplateCardBody } from './cards';

/**
 * Pure builders for everything we send to WeChat Work. An `OutboundMessage` is plain JSON, so it can
 * sit in the outbox queue; the API client fills in `agentid` when it is sent.
 */

export type TextContent = { msgtype: 'text'; text: { content: string } };
export type MarkdownContent = { msgtype: 'markdown'; markdown: { content: string } };
export type ImageContent = { msgtype: 'image'; image: { media_id: string } };
export type TemplateCardContent = { msgtype: 'template_card'; template_card: TemplateCard };

/** What message/send accepts from us. */
export type AppContent = TextContent | MarkdownContent | ImageContent | TemplateCardContent;
/** appchat/send does not take template cards. */
export type AppChatContent = TextContent | MarkdownContent | ImageContent;

export type WebhookTextContent = {
  msgtype: 'text';
  text: { content: string; mentioned_list?: string[]; mentioned_mobile_list?: string[] };
};
export type WebhookContent = WebhookTextContent | MarkdownContent;

export type AppMessageBody = AppContent & {
  touser?: string;
  toparty?: string;
  totag?: string;
  agentid?: number;
  safe?: 0 | 1;
  enable_duplicate_check?: 0 | 1;
  duplicate_check_interval?: number;
};

export type AppChatMessageBody = AppChatContent & { chatid: string; safe?: 0 | 1 };

export interface AppChatCreateBody {
  name?: string;
  owner?: string;
  userlist: string[];
  chatid?: string;
}

/** A department's group: a chat our app created, or the department's own group reached through its group robot. */
export type DepartmentChat = { kind: 'appchat'; chatId: string } | { kind: 'webhook'; key: string };

export type OutboundMessage =
  | { channel: 'app'; body: AppMessageBody }
  | { channel: 'appchat'; body: AppChatMessageBody }
  | { channel: 'webhook'; key: string; body: WebhookContent }
  | { channel: 'card-update'; body: UpdateTemplateCardBody };

export class MessageBuildError extends Error {
  constructor(problem: string) {
    super(`Cannot build WeChat Work message: ${problem}`);
    this.name = 'MessageBuildError';
  }
}

export function text(content: string): TextContent {
  return { msgtype: 'text', text: { content } };
}

export function markdown(content: string): MarkdownContent {
  return { msgtype: 'markdown', markdown: { content } };
}

export function image(mediaId: string): ImageContent {
  return { msgtype: 'image', image: { media_id: mediaId } };
}

export function templateCard(card: TemplateCard): TemplateCardContent {
  return { msgtype: 'template_card', template_card: card };
}

/** `@all` is allowed by WeChat Work but never by us: a whistle goes to named people. */
function joinIds(kind: string, ids: readonly (string | number)[], max: number): string {
  if (ids.length === 0) throw new MessageBuildError(`${kind} list is empty`);
  if (ids.length > max) throw new MessageBuildError(`${kind} list has ${ids.length} entries; WeChat Work accepts at most ${max}`);
  for (const id of ids) {
    const s = String(id);
    if (s === '' || s.includes('|') || s === '@all') throw new MessageBuildError(`${kind} id ${JSON.stringify(s)} is not a single id`);
  }
  return ids.join('|');
}

/** An app message to members (message/send). */
export function toUsers(userIds: readonly string[], content: AppContent): OutboundMessage {
  return { channel: 'app', body: { ...content, touser: joinIds('touser', userIds, 1000) } };
}

/** A message into a group chat our app created (appchat/send). */
export function toAppChat(chatId: string, content: AppChatContent): OutboundMessage {
  if (!chatId) throw new MessageBuildError('chatid is empty');
  return { channel: 'appchat', body: { ...content, chatid: chatId } };
}

/** A message through a group robot webhook (webhook/send?key=…); no access token involved. */
export function toWebhook(key: string, content: WebhookContent): OutboundMessage {
  if (!key) throw new MessageBuildError('webhook key is empty');
  return { channel: 'webhook', key, body: content };
}

/** Group-robot text; `mentionUserIds` become mentioned_list (use '@all' there to ping everyone). */
export function webhookText(content: string, mentionUserIds: readonly string[] = []): WebhookTextContent {
  return mentionUserIds.length === 0
    ? { msgtype: 'text', text: { content } }
    : { msgtype: 'text', text: { content, mentioned_list: [...mentionUserIds] } };
}

export interface DepartmentNotice {
  format: 'text' | 'markdown';
  content: string;
  /** Group robots ping these user ids; app chats have no mention field, so there they are ignored. */
  mentionUserIds?: readonly string[];
}

/** A notice to a department's group over whichever channel the department is configured with. */
export function toDepartment(chat: DepartmentChat, notice: DepartmentNotice): OutboundMessage {
  if (chat.kind === 'appchat') {
    return toAppChat(chat.chatId, notice.format === 'markdown' ? markdown(notice.content) : text(notice.content));
  }
  return toWebhook(chat.key, notice.format === 'markdown' ? markdown(notice.content) : webhookText(notice.content, notice.mentionUserIds));
}

/** A card update after a tap (message/update_template_card); build the body with cards.ts. */
export function cardUpdate(body: UpdateTemplateCardBody): OutboundMessage {
  return { channel: 'card-update', body };
}

export function appChatCreateBody(input: { name?: string; owner?: string; userIds: readonly string[]; chatId?: string }): AppChatCreateBody {
  if (input.userIds.length < 2 || input.userIds.length > 2000) {
    throw new MessageBuildError(`an app chat needs 2..2000 members, got ${input.userIds.length}`);
  }
  const body: AppChatCreateBody = { userlist: [...input.userIds] };
  if (input.name !== undefined) body.name = input.name;
  if (input.owner !== undefined) body.owner = input.owner;
  if (input.chatId !== undefined) body.chatid = input.chatId;
  return body;
}
