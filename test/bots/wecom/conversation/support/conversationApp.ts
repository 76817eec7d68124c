import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InboxMessage } from '../../../../../fakes/wecom';
import { TestApp } from '../../../../support/testApp';

export const DEMO_DISTRICT = 'demo-district';

/** Short windows so a test sees a held feedback settle (CONVERSATION_CONFIG). */
export const TEST_CONVERSATION_CONFIG = {
  gatherWindowSeconds: 5,
  draftTtlSeconds: 60,
  feedbackWindowSeconds: 1,
  myReportsLimit: 5,
  textPreviewChars: 60,
  defaultExtensionDays: 3,
  categoryChoices: ['road', 'manhole', 'drainage', 'sanitation', 'street_light', 'parking', 'street_order', 'greening', 'other'],
};

/** config/routing.json with a duplicate window of one millisecond: every scenario reports something new, nothing merges across tests. */
function routingWithoutDuplicates(): Record<string, unknown> {
  const routing = JSON.parse(readFileSync(join(__dirname, '../../../../../config/routing.json'), 'utf8')) as Record<string, unknown>;
  return { ...routing, duplicates: { windowHours: 1 / 3_600_000, maxDistanceMeters: 0 } };
}

/** The composed app in the demo district with the short conversation windows. */
export function conversationApp(label: string): TestApp {
  return new TestApp(label, { configFiles: { CONVERSATION_CONFIG: TEST_CONVERSATION_CONFIG, ROUTING_CONFIG: routingWithoutDuplicates() } });
}

export interface SentCard {
  card_type: string;
  task_id: string;
  main_title?: { title?: string; desc?: string };
  horizontal_content_list?: { keyname: string; value?: string }[];
  button_list?: { text: string; key?: string }[];
  select_list?: { question_key: string; option_list: { id: string; text: string }[] }[];
  submit_button?: { key: string };
}

export function cardOf(message: InboxMessage): SentCard {
  const card = (message.body as { template_card?: SentCard }).template_card;
  if (!card) throw new Error(`message ${message.msgid} is a ${message.msgtype}, not a card`);
  return card;
}

export function rowsOf(card: SentCard): Record<string, string> {
  return Object.fromEntries((card.horizontal_content_list ?? []).map((r) => [r.keyname, r.value ?? '']));
}

export function buttonKey(card: SentCard, text: string): string {
  const key = card.button_list?.find((b) => b.text === text)?.key;
  if (!key) throw new Error(`card has no button ${text}`);
  return key;
}
