import { conversationIntent } from '../../../../bots/wecom/conversation/intentAdapter';

describe('the conversation reading of the shared intent classifier', () => {
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
  ])('%s', (text, expected) => {
    expect(conversationIntent(text)).toEqual(expected);
  });
});
