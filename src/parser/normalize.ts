import { KeywordTrie } from './trie';

interface OpenCcT2cn {
  Converter(options: { from: 'tw' | 'hk' | 't'; to: 'cn' }): (text: string) => string;
}

// opencc-js is "type": "module", but its "require" export is a UMD build under a "type": "commonjs"
// folder, so a plain require works in jest's CommonJS runtime and under tsx. tsc (node16) would refuse a
// static import of the package's ESM typings from this CommonJS file, hence the local interface.
const OpenCC = require('opencc-js/t2cn') as OpenCcT2cn;
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

const FULLWIDTH_START = 0xff01;
const FULLWIDTH_END = 0xff5e;
const FULLWIDTH_OFFSET = 0xfee0;
const IDEOGRAPHIC_SPACE = 0x3000;

/** Full-width ASCII (ＡＢ１２，？) to half-width, one code unit for one, so offsets stay valid. */
export function toHalfWidth(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= FULLWIDTH_START && code <= FULLWIDTH_END) out += String.fromCharCode(code - FULLWIDTH_OFFSET);
    else if (code === IDEOGRAPHIC_SPACE) out += ' ';
    else out += text.charAt(i);
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
  return hasTraditional(text) ? toSimplified(text) : text;
}

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
