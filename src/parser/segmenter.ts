import { Jieba } from '@node-rs/jieba';
import { DictionaryCut } from './dictionaryCut';
import { defaultVocab } from './vocab';

/** Splits text into words (jieba with the district's place names, injected by the caller). */
export type Segmenter = (text: string) => string[];

/** A byte per offset of a text (0 to its length): 1 where one word ends and the next begins. */
export type WordBoundaries = Uint8Array;

/**
 * Offsets where one word ends and the next begins, or null when the words do not add up to the text
 * (then no cue is held back for want of a boundary). `words` is the text's segmentation; `blanked` are
 * spans the caller has since blanked out of it (place names, phones): their edges are boundaries too,
 * as they would be in a segmentation of the blanked text, so one cut of the message serves the rules and
 * the learned model alike.
 */
export function wordBoundaries(
  text: string,
  words: readonly string[],
  blanked: ReadonlyArray<{ start: number; end: number }> = [],
): WordBoundaries | null {
  const boundaries = new Uint8Array(text.length + 1);
  boundaries[0] = 1;
  let at = 0;
  for (const word of words) {
    if (!text.startsWith(word, at)) return null;
    at += word.length;
    boundaries[at] = 1;
  }
  if (at !== text.length) return null;
  for (const span of blanked) {
    boundaries[span.start] = 1;
    boundaries[span.end] = 1;
  }
  return boundaries;
}

// jieba's dictionary loads on the first cut, not on import: code that never segments does not pay for it.
let jieba: Jieba | undefined;
let dictionaryCut: DictionaryCut | undefined;

const jiebaDictionary = (): Buffer => (require('@node-rs/jieba/dict') as { dict: Buffer }).dict;

/** The district's place names as a jieba user dictionary, so 将军府小区 stays one word instead of 将军/府/小区. */
const gazetteer = (): string => [...defaultVocab.places.known].map((name) => `${name} 100000 ns`).join('\n');

/** jieba itself with the place names: what the in-process cut is checked against. */
function placeAwareJieba(): Jieba {
  if (jieba) return jieba;
  const loaded = Jieba.withDict(jiebaDictionary());
  loaded.loadDict(Buffer.from(gazetteer(), 'utf8'));
  jieba = loaded;
  return loaded;
}

/** The same cut in process, from the same dictionaries loaded in the same order. */
function placeAwareDictionaryCut(): DictionaryCut {
  dictionaryCut ??= new DictionaryCut([jiebaDictionary().toString('utf8'), gazetteer()]);
  return dictionaryCut;
}

/**
 * The district's segmenter: what the rules' word boundaries and the learned model's word features read.
 * jieba's cut, computed in process (src/parser/dictionaryCut.ts) from jieba's dictionary and the place names.
 */
export const defaultSegmenter: Segmenter = (text) => placeAwareDictionaryCut().cut(text);

/** jieba's own cut with the place names, that the in-process one is held to. */
export const jiebaSegmenter: Segmenter = (text) => placeAwareJieba().cut(text, false);
