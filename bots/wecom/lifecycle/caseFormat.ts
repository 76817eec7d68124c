import { departmentName, type Case } from '../../../src/cases';
import { maskSensitive } from '../../../src/parser';
import { category, isCategoryCode, urgencyName } from '../../../src/taxonomy';
import type { CardHorizontalContent } from '../cards';

const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/** "11-23 10:05" in China time, for cards and notices. */
export function formatTime(at: Date): string {
  const parts = Object.fromEntries(TIME.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export function categoryLabel(c: Case): string {
  const code = c.parsed.category;
  return code !== undefined && isCategoryCode(code) ? category(code).name : '未分类';
}

/** Cards and notices reach whole departments and group chats: phone numbers and plates are masked. */
export function placeLabel(c: Case): string {
  return c.parsed.locationText ? maskSensitive(c.parsed.locationText) : '未识别地点';
}

export function publicText(c: Case): string {
  return maskSensitive(c.text);
}

export function excerpt(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The label/value rows every case card starts with (WeChat Work shows at most six). */
export function caseRows(c: Case, extra: CardHorizontalContent[] = []): CardHorizontalContent[] {
  const rows: CardHorizontalContent[] = [
    { keyname: '案件编号', value: c.number },
    { keyname: '问题类别', value: categoryLabel(c) },
    { keyname: '地点', value: placeLabel(c) },
    { keyname: '紧急程度', value: urgencyName(c.parsed.urgency) },
    ...extra,
  ];
  return rows.slice(0, 6);
}

export function departmentsLabel(codes: readonly string[]): string {
  return codes.map(departmentName).join('、');
}
