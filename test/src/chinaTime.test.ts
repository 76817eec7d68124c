import { formatChinaTime } from '../../src/chinaTime';

describe('China time for people', () => {
  const lateEvening = new Date('2026-11-23T16:05:00Z'); // 00:05 the next day in China
  const earlyMorning = new Date('2026-01-03T01:05:00Z'); // 09:05 in China

  it('writes every style in China time, whatever the server zone', () => {
    expect(formatChinaTime(lateEvening, 'full')).toBe('2026-11-24 00:05');
    expect(formatChinaTime(lateEvening, 'short')).toBe('11-24 00:05');
    expect(formatChinaTime(lateEvening, 'written')).toBe('11月24日 00:05');
    expect(formatChinaTime(earlyMorning, 'brief')).toBe('1/3 09:05');
    expect(formatChinaTime(earlyMorning, 'clock')).toBe('09:05');
    expect(formatChinaTime(earlyMorning, 'date')).toBe('2026/01/03');
  });

  it('writes what Intl writes for zh-CN in the styles it replaced', () => {
    const zh = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hourCycle: 'h23', ...options });
    for (const at of [lateEvening, earlyMorning, new Date('2026-12-31T23:59:00Z')]) {
      expect(formatChinaTime(at, 'brief')).toBe(zh({ month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(at));
      expect(formatChinaTime(at, 'clock')).toBe(zh({ hour: '2-digit', minute: '2-digit' }).format(at));
      expect(formatChinaTime(at, 'date')).toBe(zh({ year: 'numeric', month: '2-digit', day: '2-digit' }).format(at));
    }
  });

  it('takes another zone when one is configured', () => {
    expect(formatChinaTime(lateEvening, 'written', 'UTC')).toBe('11月23日 16:05');
  });
});
