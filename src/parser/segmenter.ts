import { Jieba } from '@node-rs/jieba';
import { defaultVocab } from './vocab';

/** Splits text into words (jieba with the district's place names, injected by the caller). */
export type Segmenter = (text: string) => string[];

/**
 * Offsets where one word ends and the next begins, or null when the words do not add up to the text
 * (then no cue is held back for want of a boundary).
 */
export function wordBoundaries(text: string, segment: Segmenter): Set<number> | null {
  const boundaries = new Set<number>([0]);
  let at = 0;
  for (const word of segment(text)) {
    if (!text.startsWith(word, at)) return null;
    at += word.length;
    boundaries.add(at);
  }
  return at === text.length ? boundaries : null;
}

// jieba's dictionary loads on the first cut, not on import: code that never segments does not pay for it.
let jieba: Jieba | undefined;

/** jieba with the district's place names, so 将军府小区 stays one word instead of 将军/府/小区. */
function placeAwareJieba(): Jieba {
  if (jieba) return jieba;
  const { dict } = require('@node-rs/jieba/dict') as { dict: Buffer };
  const loaded = Jieba.withDict(dict);
  const gazetteer = [...defaultVocab.places.known].map((name) => `${name} 100000 ns`).join('\n');
  loaded.loadDict(Buffer.from(gazetteer, 'utf8'));
  jieba = loaded;
  return loaded;
}

/** The district's segmenter: what the rules' word boundaries and the learned model's word features read. */
export const defaultSegmenter: Segmenter = (text) => placeAwareJieba().cut(text, false);
