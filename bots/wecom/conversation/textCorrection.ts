import { taxonomy } from '../../../src/taxonomy';
import type { DraftChoice } from './draftStore';

const CORRECTION = /^(?:把)?(?:类别|分类|类型|紧急程度|等级|级别)?\s*(?:改成|改为|换成|改到|应为|应该是|更正为)\s*[:：]?\s*(.+?)[\s。.!！]*$/;

const URGENCY_WORDS: readonly [string, DraftChoice][] = [
  ['应急', { field: 'urgency', value: 'emergency' }],
  ['紧急', { field: 'urgency', value: 'emergency' }],
  ['攻坚', { field: 'urgency', value: 'key' }],
  ['日常', { field: 'urgency', value: 'daily' }],
];

/**
 * `改成井盖问题`, `类别改为排水`, `改成应急哨`: the typed way to correct a waiting card, for the
 * categories its chooser (ten at most) does not list. Undefined when the text names none.
 */
export function parseCorrection(text: string): DraftChoice | undefined {
  const target = CORRECTION.exec(text.trim())?.[1];
  if (!target) return undefined;
  const urgency = URGENCY_WORDS.find(([word]) => target.startsWith(word));
  if (urgency) return urgency[1];
  const exact = taxonomy.categories.find((c) => c.name === target);
  const partial = taxonomy.categories.filter((c) => [...target].length >= 2 && (c.name.includes(target) || target.includes(c.name)));
  const found = exact ?? (partial.length === 1 ? partial[0] : undefined);
  return found ? { field: 'category', value: found.code } : undefined;
}
