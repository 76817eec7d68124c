import { categoryName, departmentName } from '../../../src/labels';
import type { Case } from '../../../src/cases';
import { maskSensitive } from '../../../src/parser';
import { urgencyName } from '../../../src/taxonomy';
import type { CardHorizontalContent } from '../cards';

export function categoryLabel(c: Case): string {
  return categoryName(c.parsed.category);
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
