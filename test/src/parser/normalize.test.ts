import { normalizeReportText, parseReport, toHalfWidth, toSimplifiedChinese } from '../../../src/parser';

describe('normalisation', () => {
  it('folds full-width letters, digits, punctuation and spaces to half-width, one for one', () => {
    expect(toHalfWidth('５号楼２单元，ＡＢｃ！？\u3000')).toBe('5号楼2单元,ABc!? ');
    expect(toHalfWidth('全角１２３').length).toBe('全角１２３'.length);
  });

  it('turns traditional characters into simplified ones', () => {
    expect(toSimplifiedChinese('燃氣洩漏，樓道裡有異味')).toBe('燃气泄漏,楼道里有异味'.replace(',', '，'));
    expect(toSimplifiedChinese('路面已经塌陷')).toBe('路面已经塌陷');
  });

  it('removes stickers, emoji and @mentions, fixes typos', () => {
    expect(normalizeReportText('@网格长 楼下路等坏了[捂脸]😭')).toBe('楼下路灯坏了');
    expect(normalizeReportText('闻到一股煤汽味！！！')).toBe('闻到一股煤气味!');
  });

  it('parses traditional input like simplified input', () => {
    const traditional = parseReport({ text: '將軍府小區3號樓2單元門口燃氣洩漏，快來人' });
    expect(traditional.category).toBe('gas');
    expect(traditional.urgency).toBe('emergency');
    expect(traditional.location).toBe('将军府小区3号楼2单元门口');
    expect(parseReport({ text: '學府路的路燈不亮了' }).category).toBe('street_light');
  });
});
