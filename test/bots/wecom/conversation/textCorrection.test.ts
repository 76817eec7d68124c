import { parseCorrection } from '../../../../bots/wecom/conversation/textCorrection';

describe('typed corrections of a waiting card', () => {
  it.each([
    ['改成井盖问题', { field: 'category', value: 'manhole' }],
    ['类别改为违法建设', { field: 'category', value: 'illegal_construction' }],
    ['应该是排水防涝。', { field: 'category', value: 'drainage' }],
    ['改成排水', { field: 'category', value: 'drainage' }],
    ['改成应急哨', { field: 'urgency', value: 'emergency' }],
    ['紧急程度改为攻坚', { field: 'urgency', value: 'key' }],
  ])('%s', (text, expected) => {
    expect(parseCorrection(text)).toEqual(expected);
  });

  it.each(['文明路井盖丢了', '改成', '改成随便什么', '改成问题'])('%s is no correction', (text) => {
    expect(parseCorrection(text)).toBeUndefined();
  });
});
