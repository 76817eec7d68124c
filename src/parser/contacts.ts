import { toHalfWidth } from './halfWidth';

/** Phone numbers and licence plates: found so they can be kept apart and masked before others see them. */

export interface SensitiveSpan {
  start: number;
  end: number;
  value: string;
  kind: 'phone' | 'plate';
}

const MOBILE = /(?<![\d])(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;
const LANDLINE = /(?<![\d-])(0\d{2,3})-(\d{7,8})(?!\d)/g;

// Province abbreviations, with the traditional forms people type on Taiwan/HK keyboards.
const TRADITIONAL_PROVINCES: Readonly<Record<string, string>> = {
  滬: '沪', 遼: '辽', 魯: '鲁', 蘇: '苏', 贛: '赣', 陝: '陕', 閩: '闽', 貴: '贵', 粵: '粤', 寧: '宁', 瓊: '琼', 雲: '云', 晉: '晋',
};
const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼' + Object.keys(TRADITIONAL_PROVINCES).join('');
// Ordinary plates have 5 characters after the city letter, new-energy plates 6 (冀B·D1234 5, 京AD12345 6).
const PLATE = new RegExp(
  `([${PROVINCES}])\\s?([A-HJ-NP-Za-hj-np-z])\\s?[·•・.\\-]?\\s?([A-HJ-NP-Za-hj-np-z0-9]{5,6})(?![A-Za-z0-9])([挂学警])?`,
  'g',
);

/** Spans in `text` (full-width forms are recognised; offsets refer to `text` itself). */
export function findSensitive(text: string): SensitiveSpan[] {
  const scan = toHalfWidth(text);
  const spans: SensitiveSpan[] = [];
  for (const pattern of [MOBILE, LANDLINE]) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(scan); m; m = pattern.exec(scan)) {
      spans.push({ start: m.index, end: m.index + m[0].length, value: m.slice(1).join(''), kind: 'phone' });
    }
  }
  PLATE.lastIndex = 0;
  for (let m = PLATE.exec(scan); m; m = PLATE.exec(scan)) {
    const [, province = '', letter = '', rest = '', suffix = ''] = m;
    if (!/\d/.test(rest)) continue;
    const value = `${TRADITIONAL_PROVINCES[province] ?? province}${letter}${rest}${suffix}`.toUpperCase();
    spans.push({ start: m.index, end: m.index + m[0].length, value, kind: 'plate' });
  }
  return spans.sort((a, b) => a.start - b.start);
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** 京A12345 → 京A***45: the region stays (it says where the car is from), the number does not. */
export function maskPlate(plate: string): string {
  const compact = plate.replace(/[\s·•・.\-]/g, '');
  const head = compact.slice(0, 2);
  const body = compact.slice(2);
  return `${head}${'*'.repeat(Math.max(0, body.length - 2))}${body.slice(-2)}`;
}

export interface KnownSensitive {
  phones: readonly string[];
  plates: readonly string[];
}

/** Masks every phone number and plate in `text`, plus any the parser already found (`parsed`). */
export function maskSensitive(text: string, parsed?: KnownSensitive): string {
  let out = '';
  let last = 0;
  for (const span of findSensitive(text)) {
    if (span.start < last) continue;
    out += text.slice(last, span.start) + (span.kind === 'phone' ? maskPhone(span.value) : maskPlate(span.value));
    last = span.end;
  }
  out += text.slice(last);
  for (const phone of parsed?.phones ?? []) out = out.split(phone).join(maskPhone(phone));
  for (const plate of parsed?.plates ?? []) out = out.split(plate).join(maskPlate(plate));
  return out;
}
