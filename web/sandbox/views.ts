import type { InboxMessage } from '../../fakes/wecom/inbox';

/** What the sandbox console draws for one message: text, or a card with its buttons. */
export interface ConsoleMessage {
  id: string;
  from: 'me' | 'bot';
  at: Date;
  kind: 'text' | 'markdown' | 'card' | 'image' | 'location' | 'other';
  text?: string;
  card?: ConsoleCard;
}

export interface ConsoleCard {
  cardType: string;
  taskId?: string;
  title: string;
  desc?: string;
  rows: { key: string; value: string }[];
  buttons: { text: string; key: string }[];
  selects: { questionKey: string; title: string; options: { id: string; text: string }[] }[];
  /** Set once the card was updated to a final state (e.g. "已接哨"). */
  finished?: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** Reads a WeChat Work `template_card` body into the console's card shape. */
export function presentCard(card: Json): ConsoleCard {
  const mainTitle = isObject(card.main_title) ? card.main_title : {};
  const rows = list(card.horizontal_content_list).map((h) => ({ key: str(h.keyname) ?? '', value: str(h.value) ?? '' }));
  const subTitle = str(card.sub_title_text);
  if (subTitle) rows.unshift({ key: '', value: subTitle });
  const buttons = list(card.button_list).map((b) => ({ text: str(b.text) ?? '', key: str(b.key) ?? '' }));
  const submit = isObject(card.submit_button) ? card.submit_button : undefined;
  if (submit) buttons.push({ text: str(submit.text) ?? '提交', key: str(submit.key) ?? '' });
  const selects = list(card.select_list).map((s) => ({
    questionKey: str(s.question_key) ?? '',
    title: str(s.title) ?? '',
    options: list(s.option_list).map((o) => ({ id: str(o.id) ?? '', text: str(o.text) ?? '' })),
  }));
  return {
    cardType: str(card.card_type) ?? 'unknown',
    taskId: str(card.task_id),
    title: str(mainTitle.title) ?? '',
    desc: str(mainTitle.desc),
    rows,
    buttons,
    selects,
  };
}

/** Applies the card's updates: a replaced card is drawn instead; a replaced button marks it finished. */
function currentCard(message: InboxMessage, original: Json, viewer?: string): ConsoleCard {
  let view = presentCard(original);
  for (const update of message.updates) {
    if (update.for !== 'all' && viewer !== undefined && !update.for.includes(viewer)) continue;
    const body = update.body;
    if (isObject(body.template_card)) {
      const replaced = presentCard(body.template_card);
      view = { ...replaced, taskId: replaced.taskId ?? view.taskId };
      // WeChat Work shows `replace_text` greyed out in place of the buttons of an updated card.
      const replaceText = str(body.template_card.replace_text);
      if (replaceText) view.finished = replaceText;
      else if (replaced.buttons.length === 0) view.finished = replaced.desc ?? replaced.title;
    } else if (isObject(body.button)) {
      view = { ...view, finished: str(body.button.replace_name) ?? '已处理' };
    }
  }
  return view;
}

/** One delivered WeChat Work message as the console shows it to `viewer`. */
export function presentInboxMessage(message: InboxMessage, viewer?: string): ConsoleMessage {
  const body = message.body;
  const content = isObject(body[message.msgtype]) ? (body[message.msgtype] as Json) : {};
  const base = { id: message.msgid, from: 'bot' as const, at: message.at };
  switch (message.msgtype) {
    case 'text':
    case 'markdown':
      return { ...base, kind: message.msgtype, text: str(content.content) ?? '' };
    case 'template_card':
      return { ...base, kind: 'card', card: currentCard(message, content, viewer) };
    case 'image':
      return { ...base, kind: 'image', text: '[图片]' };
    default:
      return { ...base, kind: 'other', text: `[${message.msgtype}]` };
  }
}

/** A group chat rendered as plain lines (text, markdown, or a card's title). */
export function groupLine(message: InboxMessage): { at: Date; text: string } {
  const view = presentInboxMessage(message);
  const text = view.card ? `【${view.card.title}】${view.card.desc ?? ''}` : (view.text ?? '');
  return { at: message.at, text };
}
