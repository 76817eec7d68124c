/**
 * 110, 119 and 120 are emergency calls only when read as numbers of their own: 打110, 拨打120, 快报警110.
 * Inside other numbers or before a unit they are addresses, prices and voltages (南路1101号, 1197公里,
 * 1103业主, 120元, 110KV变电站, 119路公交).
 */
const NUMBER_CHAR = /[0-9A-Za-z.]/;
const UNITS = [
  '号', '路', '元', '块', '公里', '千米', '米', '千伏', '伏', '度', '次', '栋', '幢', '弄', '室', '楼', '层', '业主', '户',
  '平', '万', '分', '条', '线', '国道', '省道', '县道', '公交', '斤', '克', '天', '个', '年', '届', '班', '床', '岁', '期',
];
/** 打了110问过 asks about something; it does not report an emergency. */
const ENQUIRY = ['问', '咨询', '说这', '说是', '说归', '来看过'];

export function isEmergencyNumber(text: string, start: number, end: number): boolean {
  if (start > 0 && NUMBER_CHAR.test(text.charAt(start - 1))) return false;
  if (end < text.length && NUMBER_CHAR.test(text.charAt(end))) return false;
  const after = text.slice(end, end + 4);
  if (UNITS.some((u) => after.startsWith(u))) return false;
  const tail = text.slice(end, end + 5);
  return !ENQUIRY.some((w) => tail.includes(w));
}

/** Where a matched cue ends in one of the emergency numbers, the span of that number. */
export function trailingEmergencyNumber(word: string, start: number): [number, number] | null {
  // Every one of the numbers ends in 0 or 9: most words are turned away without the pattern.
  const last = word.charCodeAt(word.length - 1);
  if (last !== 48 && last !== 57) return null;
  const m = /(110|119|120)$/.exec(word);
  return m ? [start + m.index, start + word.length] : null;
}
