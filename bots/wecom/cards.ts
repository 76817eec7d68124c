/**
 * Pure builders for WeChat Work `template_card` payloads (message/send msgtype "template_card") and
 * for message/update_template_card bodies. Field names follow the WeChat Work JSON exactly.
 */

export interface CardSource {
  icon_url?: string;
  desc?: string;
  /** 0 grey (default), 1 black, 2 red, 3 green. */
  desc_color?: 0 | 1 | 2 | 3;
}

export interface CardMainTitle {
  title?: string;
  desc?: string;
}

export interface CardHorizontalContent {
  /** 0 plain text, 1 url, 2 attachment (media_id), 3 member card (userid). */
  type?: 0 | 1 | 2 | 3;
  keyname: string;
  value?: string;
  url?: string;
  media_id?: string;
  userid?: string;
}

export interface CardQuoteArea {
  type?: 0 | 1 | 2;
  url?: string;
  title?: string;
  quote_text?: string;
}

export interface CardButton {
  /** 0 (default) = callback event with `key`, 1 = open `url`. */
  type?: 0 | 1;
  text: string;
  /** 1..4. */
  style?: 1 | 2 | 3 | 4;
  key?: string;
  url?: string;
}

export interface CardSelectOption {
  id: string;
  text: string;
}

export interface CardSelect {
  question_key: string;
  title?: string;
  selected_id?: string;
  option_list: CardSelectOption[];
}

export interface CardSubmitButton {
  text: string;
  key: string;
}

interface CardCommon {
  source?: CardSource;
  main_title: CardMainTitle;
  task_id?: string;
  sub_title_text?: string;
  horizontal_content_list?: CardHorizontalContent[];
  quote_area?: CardQuoteArea;
}

export interface ButtonInteractionCard extends CardCommon {
  card_type: 'button_interaction';
  task_id: string;
  button_list: CardButton[];
}

export interface MultipleInteractionCard {
  card_type: 'multiple_interaction';
  source?: CardSource;
  main_title: CardMainTitle;
  task_id: string;
  select_list: CardSelect[];
  submit_button: CardSubmitButton;
}

export type TemplateCard = ButtonInteractionCard | MultipleInteractionCard;

/** WeChat Work task ids: letters, digits and `_-@`, at most 128 bytes, unique per app. */
const TASK_ID = /^[A-Za-z0-9_\-@]{1,128}$/;

export class CardBuildError extends Error {
  constructor(problem: string) {
    super(`Cannot build template card: ${problem}`);
    this.name = 'CardBuildError';
  }
}

function checkTaskId(taskId: string): string {
  if (!TASK_ID.test(taskId)) throw new CardBuildError(`task_id ${JSON.stringify(taskId)} must be 1-128 of A-Z a-z 0-9 _ - @`);
  return taskId;
}

function checkCount(what: string, count: number, min: number, max: number): void {
  if (count < min || count > max) throw new CardBuildError(`${what} must have ${min}..${max} entries, got ${count}`);
}

export interface CardTexts {
  title: string;
  desc?: string;
  source?: CardSource;
  subTitle?: string;
  /** Label/value rows (at most 6). */
  rows?: CardHorizontalContent[];
  quote?: CardQuoteArea;
}

function common(texts: CardTexts): CardCommon {
  const card: CardCommon = { main_title: texts.desc === undefined ? { title: texts.title } : { title: texts.title, desc: texts.desc } };
  if (texts.source) card.source = texts.source;
  if (texts.subTitle !== undefined) card.sub_title_text = texts.subTitle;
  if (texts.rows) {
    checkCount('horizontal_content_list', texts.rows.length, 0, 6);
    card.horizontal_content_list = texts.rows;
  }
  if (texts.quote) card.quote_area = texts.quote;
  return card;
}

export function buttonInteractionCard(texts: CardTexts & { taskId: string; buttons: CardButton[] }): ButtonInteractionCard {
  checkCount('button_list', texts.buttons.length, 1, 6);
  for (const button of texts.buttons) {
    if ((button.type ?? 0) === 0 && !button.key) throw new CardBuildError(`callback button ${JSON.stringify(button.text)} needs a key`);
  }
  return { card_type: 'button_interaction', ...common(texts), task_id: checkTaskId(texts.taskId), button_list: texts.buttons };
}

export function multipleInteractionCard(input: {
  title: string;
  desc?: string;
  source?: CardSource;
  taskId: string;
  selects: CardSelect[];
  submit: CardSubmitButton;
}): MultipleInteractionCard {
  checkCount('select_list', input.selects.length, 1, 3);
  for (const select of input.selects) checkCount(`option_list of ${select.question_key}`, select.option_list.length, 1, 10);
  const card: MultipleInteractionCard = {
    card_type: 'multiple_interaction',
    main_title: input.desc === undefined ? { title: input.title } : { title: input.title, desc: input.desc },
    task_id: checkTaskId(input.taskId),
    select_list: input.selects,
    submit_button: input.submit,
  };
  if (input.source) card.source = input.source;
  return card;
}

/** Who sees a card update: only the user who tapped, or every recipient of the card. */
export type CardUpdateTarget = { userIds: string[] } | 'all';

interface UpdateTarget {
  userids?: string[];
  atall?: 0 | 1;
}

/** Body of message/update_template_card; `agentid` is filled in by the API client. */
export type UpdateTemplateCardBody = UpdateTarget & { agentid?: number; response_code: string } & (
    | { button: { replace_name: string } }
    | { template_card: TemplateCard & { replace_text?: string } }
  );

function target(to: CardUpdateTarget): UpdateTarget {
  return to === 'all' ? { atall: 1 } : { userids: to.userIds };
}

/** Turns the card's buttons into one greyed-out, unclickable label (e.g. "已接单"). */
export function replaceCardButton(responseCode: string, replaceName: string, to: CardUpdateTarget): UpdateTemplateCardBody {
  return { ...target(to), response_code: responseCode, button: { replace_name: replaceName } };
}

/** Replaces the whole card; `replaceText` is what interactive cards show in place of their buttons. */
export function replaceCard(responseCode: string, card: TemplateCard, to: CardUpdateTarget, replaceText?: string): UpdateTemplateCardBody {
  const template_card = replaceText === undefined ? card : { ...card, replace_text: replaceText };
  return { ...target(to), response_code: responseCode, template_card };
}
