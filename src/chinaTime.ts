import { zonedParts } from './sla/timeZone';

/** China has one zone and no daylight saving; a district's configured zone may still differ. */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

/**
 * - `full`: `2026-11-23 16:05`, as WeChat's template time fields want it;
 * - `short`: `11-23 16:05`, for cards, notices and lists;
 * - `written`: `11月23日 16:05`, inside a sentence;
 * - `brief`: `1/3 09:05`, for activities;
 * - `clock`: `16:05`;
 * - `date`: `2026/11/23`.
 */
export type ChinaTimeStyle = 'full' | 'short' | 'written' | 'brief' | 'clock' | 'date';

const pad = (n: number): string => String(n).padStart(2, '0');

/** The one formatter of instants for people: China time unless another zone is given, whatever the server's zone. */
export function formatChinaTime(at: Date, style: ChinaTimeStyle, timeZone: string = CHINA_TIME_ZONE): string {
  const p = zonedParts(at, timeZone);
  const clock = `${pad(p.hour)}:${pad(p.minute)}`;
  switch (style) {
    case 'full': return `${p.year}-${pad(p.month)}-${pad(p.day)} ${clock}`;
    case 'short': return `${pad(p.month)}-${pad(p.day)} ${clock}`;
    case 'written': return `${pad(p.month)}月${pad(p.day)}日 ${clock}`;
    case 'brief': return `${p.month}/${p.day} ${clock}`;
    case 'clock': return clock;
    case 'date': return `${p.year}/${pad(p.month)}/${pad(p.day)}`;
  }
}
