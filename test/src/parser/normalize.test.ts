import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeReportText, parseReport, toHalfWidth, toSimplifiedChinese } from '../../../src/parser';
import { convertWhole, stripChatNoise } from '../../../src/parser/normalize';

const fixture = (file: string): string[] =>
  readFileSync(join(__dirname, '../../fixtures', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text);

describe('normalisation', () => {
  it('folds full-width letters, digits, punctuation and spaces to half-width, one for one', () => {
    expect(toHalfWidth('５号楼２单元，ＡＢｃ！？\u3000')).toBe('5号楼2单元,ABc!? ');
    expect(toHalfWidth('全角１２３').length).toBe('全角１２３'.length);
  });

  it('turns traditional characters into simplified ones', () => {
    expect(toSimplifiedChinese('燃氣洩漏，樓道裡有異味')).toBe('燃气泄漏,楼道里有异味'.replace(',', '，'));
    expect(toSimplifiedChinese('路面已经塌陷')).toBe('路面已经塌陷');
  });

  it('converts a text holding a traditional character exactly as the converter run on the whole text', () => {
    // The converter runs only on the pieces between characters no dictionary entry holds; the result must be
    // the whole text's conversion. Real letters (many hold 么, which alone would become 幺), the same letters
    // written in traditional characters, and texts with astral and ideographic description characters.
    const toTraditional = (require('opencc-js') as { Converter(o: { from: 'cn'; to: 'tw' }): (t: string) => string }).Converter({
      from: 'cn',
      to: 'tw',
    });
    const letters = fixture('tipdm-dev-holdout.jsonl');
    const texts = [...letters, ...letters.map(toTraditional), '𠮷野家的麼', '⿰木木林很乾淨', '乾隆，著名的「乾」。藉口，么', '么', '什么，怎么'];
    // The texts the converter runs on: those holding a character it changes on its own.
    const traditional = texts.filter((t) => [...t].some((ch) => convertWhole(ch) !== ch));
    expect(traditional.length).toBeGreaterThan(letters.length);
    expect(traditional.filter((t) => convertWhole(t) === t).length).toBeGreaterThan(10);
    for (const text of traditional) expect(toSimplifiedChinese(text)).toBe(convertWhole(text));
  });

  it('removes stickers, emoji and @mentions, fixes typos', () => {
    expect(normalizeReportText('@网格长 楼下路等坏了[捂脸]😭')).toBe('楼下路灯坏了');
    expect(normalizeReportText('闻到一股煤汽味！！！')).toBe('闻到一股煤气味!');
  });

  it('strips emoji exactly as the emoji pattern run on every text would, single units and surrogate pairs alike', () => {
    const everyText = (text: string): string =>
      text
        .replace(/\[[\u4e00-\u9fffA-Za-z]{1,4}\]/g, ' ')
        .replace(/[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\uFE0F\u200B-\u200D]/gu, ' ')
        .replace(/@[^\s,，:：]{1,16}[\s\u2005]?/g, ' ')
        .replace(/[—–－]/g, '-')
        .replace(/([,.!?;~。！？，；、…])\1+/g, '$1')
        .replace(/\s+/g, ' ')
        .trim();
    const texts = [
      '你好😀世界', '路灯\u200b坏了', '©2026 ™ ‼ 井盖', '好的\ufe0f', '👍🏻收到', '👨\u200d👩\u200d👧 一家', '孤\ud83d半个', '尾\ude00',
      '☎️报修', '⚠️危险', ...fixture('tipdm-dev-holdout.jsonl').slice(0, 60),
    ];
    for (const text of texts) expect(stripChatNoise(text)).toBe(everyText(text));
    expect(stripChatNoise('⚠危险☎报修')).toBe('危险 报修');
  });

  it('parses traditional input like simplified input', () => {
    const traditional = parseReport({ text: '將軍府小區3號樓2單元門口燃氣洩漏，快來人' });
    expect(traditional.category).toBe('gas');
    expect(traditional.urgency).toBe('emergency');
    expect(traditional.location).toBe('将军府小区3号楼2单元门口');
    expect(parseReport({ text: '學府路的路燈不亮了' }).category).toBe('street_light');
  });
});
