import { createParser, defaultVocab, parseReport } from '../../../src/parser';
import { category } from '../../../src/taxonomy';

describe('departments and problems', () => {
  it('puts the lead of the category first', () => {
    const parsed = parseReport({ text: '人民路井盖丢了' });
    expect(parsed.departments[0]).toBe(category(parsed.category).lead);
  });

  it('calls in the departments a gas leak under an illegal structure needs', () => {
    const parsed = parseReport({ text: '东关街有个违章建筑，下面压着燃气管道，刚才闻到一股煤气味' });
    expect(parsed.category).toBe('gas');
    expect(parsed.urgency).toBe('emergency');
    expect(parsed.departments[0]).toBe('ranqi');
    expect(parsed.departments).toContain('chengguan');
  });

  it('sends a building fire to the fire brigade first', () => {
    const parsed = parseReport({ text: '兴业街38号楼电线着火了，已经烧到二楼窗户了' });
    expect(parsed.category).toBe('fire_safety');
    expect(parsed.departments[0]).toBe('xiaofang');
    expect(parsed.departments).toContain('gongdian');
  });

  it('lists every problem a message names, the main one first', () => {
    const parsed = parseReport({ text: '楼下垃圾没人清，还有路灯也不亮' });
    expect(parsed.problems.map((p) => p.category)).toEqual(['sanitation', 'street_light']);
    expect(parsed.departments).toEqual(['chengguan']);
  });

  it('falls back to similar labelled examples when no vocabulary word matches', () => {
    // The rules alone (no learned model): the bigram fallback answers, and says it is unsure.
    const parsed = createParser(defaultVocab).parseReport({ text: '2单元501家里漏水' });
    expect(parsed.category).toBe('water_supply');
    expect(parsed.problems[0]?.category).toBe('water_supply');
    expect(parsed.confidence).toBeLessThan(0.5);
  });

  it('tells chatter from reports', () => {
    for (const text of ['你好', '谢谢', '收到', '好的，辛苦了', '👍', '[微笑]']) {
      const parsed = parseReport({ text });
      expect(parsed.isLikelyReport).toBe(false);
      expect(parsed.category).toBe('other');
    }
    expect(parseReport({ text: '路灯坏了' }).isLikelyReport).toBe(true);
  });

  it('passes the location event and image count through', () => {
    const parsed = parseReport({ text: '这里有个坑', location: { latitude: 38.04, longitude: 114.5, label: '文明大街' }, imageCount: 2 });
    expect(parsed.geo).toEqual({ latitude: 38.04, longitude: 114.5, label: '文明大街' });
    expect(parsed.imageCount).toBe(2);
  });
});
