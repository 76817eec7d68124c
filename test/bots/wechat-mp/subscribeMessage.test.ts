import { fitTemplateValue } from '../../../bots/wechat-mp/subscribeMessage';
import { formatChinaTime } from '../../../src/chinaTime';

describe('subscribe message values', () => {
  it("fits template values to WeChat's length limits and writes Beijing time", () => {
    expect(fitTemplateValue('phrase3', '已受理')).toBe('已受理');
    expect(fitTemplateValue('phrase3', '正在办理中的')).toBe('正在办理…');
    expect([...fitTemplateValue('thing2', '一'.repeat(30))]).toHaveLength(20);
    expect(fitTemplateValue('time4', '2026-11-23 16:05')).toBe('2026-11-23 16:05');
    expect(formatChinaTime(new Date('2026-11-23T16:05:00Z'), 'full')).toBe('2026-11-24 00:05');
  });
});
