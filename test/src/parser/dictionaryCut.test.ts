import { Jieba } from '@node-rs/jieba';
import { createParser, defaultSegmenter, defaultVocab } from '../../../src/parser';
import { DictionaryCut } from '../../../src/parser/dictionaryCut';
import { jiebaSegmenter } from '../../../src/parser/segmenter';
import { mulberry32 } from '../../../src/parser/learned/train';
import { gridHoldout, gridTune, gridUrgency, realHoldout, realSegmented, realTune } from '../../../scripts/parser/data';

const jiebaDictionary = (require('@node-rs/jieba/dict') as { dict: Buffer }).dict.toString('utf8');

/** Texts made of pieces the cut treats differently, drawn at random (seeded): the cases real messages rarely hold. */
function generatedTexts(count: number, seed: number): string[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const dictionaryWords = jiebaDictionary
    .split('\n')
    .filter((_, i) => i % 97 === 0)
    .map((line) => line.split(' ')[0] ?? '');
  const places = [...defaultVocab.places.known];
  const pieces: Array<() => string> = [
    () => pick(dictionaryWords),
    () => pick(dictionaryWords),
    () => pick(places),
    () => String.fromCharCode(0x4e00 + Math.floor(random() * 0x51a0)), // any CJK ideograph, words or not
    () => pick(['a', 'B', 'z', '7', '0', 'KV', '110', '4S', 'abc']),
    () => pick(['+', '#', '&', '.', '_', '%', '-', 'C++', 'c#', 'AT&T', 'T-', '3.5', '50%']),
    () => pick(['，', '。', '！', '？', '、', '（', '）', '“', '”', ',', '!', ':', '/']),
    () => pick([' ', '  ', '\t', '\n', '\r\n', '\r', '\u3000', '\u00a0']),
    () => pick(['👍', '👍🏻', '🚧', '😂😂']), // beyond the Basic Multilingual Plane, outside jieba's runs
    () => pick(['𠀀', '𪚥', '𠮷野家', '𥫗']), // CJK extension B and later: inside them
    () => pick(['㐀', '䶵', '豈', '兀']), // extension A, compatibility ideographs
    () => pick(['ｱ', 'Ａ１', '①', 'é', 'ß']),
  ];
  return Array.from({ length: count }, () => {
    let text = '';
    const n = 1 + Math.floor(random() * 25);
    for (let i = 0; i < n; i++) text += (pick(pieces) as () => string)();
    return text;
  });
}

describe('the in-process dictionary cut', () => {
  const fixtureTexts = [...gridTune(), ...gridHoldout(), ...gridUrgency(), ...realTune(), ...realHoldout(), ...realSegmented()].map((row) => row.text);
  const parser = createParser(defaultVocab);

  it("cuts every fixture message, raw and as the parser normalises it, into exactly jieba's words", () => {
    const texts = [...fixtureTexts, ...fixtureTexts.map((text) => parser.normalize(text))];
    const differing = texts.filter((text) => defaultSegmenter(text).join('|') !== jiebaSegmenter(text).join('|'));
    expect(texts.length).toBeGreaterThan(19_000);
    expect(differing.slice(0, 3)).toEqual([]);
  });

  it("cuts generated texts (letters and digits, symbols, spaces and line breaks, emoji, rare ideographs) into exactly jieba's words", () => {
    const texts = generatedTexts(4_000, 20261207);
    const differing = texts.filter((text) => defaultSegmenter(text).join('|') !== jiebaSegmenter(text).join('|'));
    expect(differing.slice(0, 3)).toEqual([]);
  });

  it('weighs words as a small dictionary says, as jieba does, with the later dictionary re-weighing a word', () => {
    // With words of an extension-B ideograph and of symbols jieba keeps inside its runs.
    const small = '网球 10 n\n网球拍 5 n\n拍卖 10 v\n拍卖会 20 n\n球拍 5 n\n卖 2 v\n会 30 v\n𠮷野家 3 nz\nT-恤 4 n\n';
    const reweigh = '拍卖会 0 n\n';
    const native = Jieba.withDict(Buffer.from(small));
    const ours = new DictionaryCut([small]);
    for (const text of ['abc网球拍卖会def', '网球拍卖会', 'A1区网球', '会会会', ')', '去𠮷野家买T-恤']) {
      expect(ours.cut(text)).toEqual(native.cut(text, false));
    }
    expect(ours.cut('abc网球拍卖会def')).toEqual(['abc', '网球', '拍卖会', 'def']);
    expect(ours.cut('去𠮷野家买T-恤')).toEqual(['去', '𠮷野家', '买', 'T-恤']);
    native.loadDict(Buffer.from(reweigh));
    const reweighed = new DictionaryCut([small, reweigh]);
    expect(reweighed.cut('网球拍卖会')).toEqual(native.cut('网球拍卖会', false));
    expect(reweighed.cut('网球拍卖会')).toEqual(['网球', '拍卖', '会']);
  });

  it('gives the word ends as offsets that add up to the text, a surrogate pair never split', () => {
    const cut = new DictionaryCut(['网球 10\n']);
    expect([...cut.cutEnds('网球👍\r\n𠮷a1')]).toEqual([0, 2, 4, 6, 8, 10]);
    // A lone surrogate (malformed text) is a character of its own.
    expect(cut.cut('网\ud800球')).toEqual(['网', '\ud800', '球']);
  });

  it('refuses a dictionary line whose frequency is not a whole number, naming the line', () => {
    expect(() => new DictionaryCut(['网球 ten n\n'])).toThrow('"网球 ten n"');
    expect(() => new DictionaryCut(['网球 1.5 n\n'])).toThrow('not a whole number');
  });
});
