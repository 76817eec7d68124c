import { toHalfWidth } from './halfWidth';
import { KeywordTrie } from './trie';

export { toHalfWidth };

/** A dictionary as opencc-js ships it: "source target|source target…", or [source, target] pairs. */
type OpenCcDict = string | ReadonlyArray<readonly [string, string]>;

interface OpenCcT2cn {
  Converter(options: { from: 'tw' | 'hk' | 't'; to: 'cn' }): (text: string) => string;
  /** The dictionaries of each conversion; `Converter({ from: 'tw', to: 'cn' })` runs `tw2s`. */
  Locale: { configs: Record<string, Record<string, unknown>> };
}

// opencc-js is "type": "module", but its "require" export is a UMD build under a "type": "commonjs"
// folder, so a plain require works in jest's CommonJS runtime and under tsx. tsc (node16) would refuse a
// static import of the package's ESM typings from this CommonJS file, hence the local interface.
const OpenCC = require('opencc-js/t2cn') as OpenCcT2cn;
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
const CONVERSION = 'tw2s';

/**
 * Per UTF-16 code unit, from the dictionaries the converter runs (normalisation, segmentation, conversion):
 * IN_KEY when the character occurs in some dictionary entry's source, STARTS_CHANGE when some entry that
 * changes its text starts with it. Built on first use.
 */
const IN_KEY = 1;
const STARTS_CHANGE = 2;
let dictChars: Uint8Array | undefined;

function dictionaryChars(): Uint8Array {
  if (dictChars) return dictChars;
  const flags = new Uint8Array(0x10000);
  const config = OpenCC.Locale.configs[CONVERSION];
  if (!config) throw new Error(`opencc-js has no ${CONVERSION} conversion`);
  const dicts = Object.values(config).flat(3) as OpenCcDict[];
  for (const dict of dicts) {
    const entries = typeof dict === 'string' ? dict.split('|').map((line) => line.split(' ')) : dict;
    for (const [source = '', target] of entries) {
      for (let i = 0; i < source.length; i++) flags[source.charCodeAt(i)] = (flags[source.charCodeAt(i)] as number) | IN_KEY;
      if (source !== target && source.length > 0) flags[source.charCodeAt(0)] = (flags[source.charCodeAt(0)] as number) | STARTS_CHANGE;
    }
  }
  dictChars = flags;
  return flags;
}

const isSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdfff;
/** Ideographic description characters (⿰…), which the converter reads together with the characters after them. */
const isIdeographicDescription = (code: number): boolean => code >= 0x2ff0 && code <= 0x2fff;

/**
 * The converter's output, converting only the pieces of the text it could change. No dictionary entry holds a
 * character outside every entry's source (punctuation, spaces, digits, most letters), so no match runs across
 * one: such a character cuts the text into pieces the converter converts independently, each stage alike.
 * A piece with no character that starts a changing entry is left as it is by every stage. A text holding an
 * ideographic description character (read with the characters after it) is converted whole.
 */
function convertPieces(text: string): string {
  const flags = dictionaryChars();
  let out = '';
  let start = 0;
  let changes = false;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : -1;
    if (code >= 0 && isIdeographicDescription(code)) return toSimplified(text);
    const cut = code < 0 || (!isSurrogate(code) && ((flags[code] as number) & IN_KEY) === 0);
    if (!cut) {
      if (isSurrogate(code) || ((flags[code] as number) & STARTS_CHANGE) !== 0) changes = true;
      continue;
    }
    if (i > start) out += changes ? toSimplified(text.slice(start, i)) : text.slice(start, i);
    if (code >= 0) out += text.charAt(i);
    start = i + 1;
    changes = false;
  }
  return out;
}

// Most messages are already simplified: a per-character check (cached) is far cheaper than the
// phrase-level converter, which then runs only for texts holding at least one traditional character.
// One byte per UTF-16 code unit: 0 not yet asked, 1 the converter leaves the character alone, 2 it changes it.
const changesAlone = new Uint8Array(0x10000);
const UNCHANGED = 1;
const CHANGED = 2;

function hasTraditional(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x3400) continue;
    let changes = changesAlone[code] as number;
    if (changes === 0) {
      const ch = text.charAt(i);
      changes = toSimplified(ch) !== ch ? CHANGED : UNCHANGED;
      changesAlone[code] = changes;
    }
    if (changes === CHANGED) return true;
  }
  return false;
}

export function toSimplifiedChinese(text: string): string {
  return hasTraditional(text) ? convertPieces(text) : text;
}

/** The converter run on the whole text (what `toSimplifiedChinese` gives for a text holding a traditional character). */
export const convertWhole = (text: string): string => toSimplified(text);

// WeChat sticker codes such as [捂脸] and [图片], emoji, and zero-width characters are noise for the parser.
const STICKER = /\[[\u4e00-\u9fffA-Za-z]{1,4}\]/g;
const EMOJI = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\uFE0F\u200B-\u200D]/gu;
const MENTION = /@[^\s,，:：]{1,16}[\s\u2005]?/g;
const DASHES = /[—–－]/g;
const SPACES = /\s+/g;
const REPEATED_PUNCT = /([,.!?;~。！？，；、…])\1+/g;

export function stripChatNoise(text: string): string {
  return text
    .replace(STICKER, ' ')
    .replace(EMOJI, ' ')
    .replace(MENTION, ' ')
    .replace(DASHES, '-')
    .replace(REPEATED_PUNCT, '$1')
    .replace(SPACES, ' ')
    .trim();
}

export function buildTypoFixer(typos: Readonly<Record<string, string>>): (text: string) => string {
  const trie = new KeywordTrie<string>();
  for (const [wrong, right] of Object.entries(typos)) trie.add(wrong, right);
  return (text) => {
    const hits = trie.scan(text);
    if (hits.length === 0) return text;
    let out = '';
    let last = 0;
    for (const hit of hits) {
      out += text.slice(last, hit.start) + (hit.values[0] ?? hit.word);
      last = hit.end;
    }
    return out + text.slice(last);
  };
}

/** The text every rule of the parser reads: half-width, simplified, typos fixed, chat noise removed. */
export function normalizeText(text: string, fixTypos: (text: string) => string): string {
  return fixTypos(stripChatNoise(toSimplifiedChinese(toHalfWidth(text))));
}
