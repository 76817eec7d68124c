import { requestedDueAt } from '../../../../bots/wecom/conversation/extensionDate';
import { formatChinaTime } from '../../../../src/chinaTime';

describe('the finish time a department asks for', () => {
  const now = new Date('2026-11-23T02:00:00Z'); // 10:00 in China
  const due = new Date('2026-11-25T10:00:00Z');

  it('adds days to the current deadline, or to now when that has passed', () => {
    expect(requestedDueAt('申请延期 3天，材料未到', now, due, 7)).toEqual(new Date('2026-11-28T10:00:00Z'));
    expect(requestedDueAt('申请延期5个工作日', now, new Date('2026-11-01T00:00:00Z'), 7)).toEqual(new Date('2026-11-28T02:00:00Z'));
  });

  it('takes a date as the end of that day in China, next year when it has passed', () => {
    expect(formatChinaTime(requestedDueAt('申请延期至12月5日', now, due, 7), 'written')).toBe('12月05日 23:59');
    expect(requestedDueAt('申请延期至12月5日', now, due, 7).toISOString()).toBe('2026-12-05T15:59:59.000Z');
    expect(requestedDueAt('延期到1月3号', now, due, 7).toISOString()).toBe('2027-01-03T15:59:59.000Z');
  });

  it('falls back to the configured number of days', () => {
    expect(requestedDueAt('申请延期，等配件', now, due, 3)).toEqual(new Date('2026-11-28T10:00:00Z'));
  });
});
