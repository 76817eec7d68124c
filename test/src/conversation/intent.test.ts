import { CASE_NUMBER_PATTERN, classifyIntent, findCaseNumber } from '../../../src/conversation/intent';

const intentOf = (text: string): string => classifyIntent(text).kind;

describe('chat intent', () => {
  it.each(['帮助', '怎么用', '?', '？', 'help', '这个怎么用啊'])('help: %s', (t) => expect(intentOf(t)).toBe('help'));
  it.each(['我的上报', '我报的', '看看我报的事', '我提交的工单'])('my_reports: %s', (t) => expect(intentOf(t)).toBe('my_reports'));

  it('query_case with the case number', () => {
    expect(classifyIntent('查询 2026-000123')).toEqual({ kind: 'query_case', number: '2026-000123' });
    expect(classifyIntent('2026－000123')).toEqual({ kind: 'query_case', number: '2026-000123' });
  });

  it('cancel', () => {
    expect(intentOf('取消')).toBe('cancel');
    expect(classifyIntent('取消 2026-000123')).toEqual({ kind: 'cancel_case', number: '2026-000123' });
    expect(intentOf('算了不报了')).toBe('cancel');
    expect(intentOf('物业取消了供暖，家里很冷')).toBe('report');
  });

  it('feedback from a department member', () => {
    expect(classifyIntent('2026-000123 已处理，井盖已更换')).toEqual({ kind: 'feedback', number: '2026-000123', text: '已处理，井盖已更换' });
    expect(intentOf('反馈2026-000045：处理完毕')).toBe('feedback');
  });

  it.each(['你好', '您好', '在吗', '早上好'])('greeting: %s', (t) => expect(intentOf(t)).toBe('greeting'));
  it.each(['谢谢', '收到', '好的', '👍👍', '嗯嗯'])('chatter: %s', (t) => expect(intentOf(t)).toBe('chatter'));
  it.each(['文明大街井盖丢了', '你好，我要反映楼下路灯不亮', '需要帮助，家里老人摔倒了起不来'])('report: %s', (t) =>
    expect(intentOf(t)).toBe('report'),
  );

  it('exports the case-number pattern', () => {
    expect(CASE_NUMBER_PATTERN.test('2026-000123')).toBe(true);
    expect(CASE_NUMBER_PATTERN.test('12026-0001234')).toBe(false);
    expect(findCaseNumber('无编号')).toBeNull();
  });

  it.each([
    ['帮助', { kind: 'help' }],
    ['我的上报', { kind: 'my_reports' }],
    ['2026-000123', { kind: 'query_case', number: '2026-000123' }],
    ['取消', { kind: 'cancel' }],
    ['取消 2026-000123', { kind: 'cancel_case', number: '2026-000123' }],
    ['你好', { kind: 'greeting' }],
    ['好的谢谢', { kind: 'chatter' }],
    ['人民路有人乱扔垃圾', { kind: 'report' }],
    ['2026-000123 已处理完毕，路面已修复', { kind: 'feedback', number: '2026-000123', text: '已处理完毕，路面已修复' }],
    ['2026—000123：已清运', { kind: 'feedback', number: '2026-000123', text: '已清运' }],
    ['退回 2026-000123 不在本部门管辖范围', { kind: 'return_case', number: '2026-000123', reason: '不在本部门管辖范围' }],
    ['2026-000123 不属于我局职责', { kind: 'return_case', number: '2026-000123', reason: '不属于我局职责' }],
    ['2026-000123 申请延期 5天 等材料', { kind: 'extension', number: '2026-000123', text: '申请延期 5天 等材料' }],
  ])('the whole intent of %s', (text, expected) => {
    expect(classifyIntent(text)).toEqual(expected);
  });
});
