import { parseReport } from '../../../src/parser';

const urgencyOf = (text: string): string => parseReport({ text }).urgency;

describe('urgency', () => {
  it.each([
    '楼道里一股煤气味',
    '3号楼着火了，浓烟很大',
    '电线掉在地上还在冒火花',
    '路面突然塌陷了一个大洞',
    '地下通道积水淹到腰了，有人被困在车里',
    '电梯困人，孩子在里面哭',
    '门口有人打架，头被打破了流了好多血',
    '一个人拿着刀在追人',
    '树歪得厉害随时可能倒',
    '电梯停在半层，里面还关着两个人',
  ])('emergency: %s', (text) => expect(urgencyOf(text)).toBe('emergency'));

  it.each([
    '路灯坏了三个多月了',
    '反映过好几次了，一直没人管',
    '这个违建拆了又建，好几年了',
    '积水的事几个部门都说不归自己管',
    '路灯坏了，打了N次12345都没人修',
  ])('key: %s', (text) => expect(urgencyOf(text)).toBe('key'));

  it.each([
    '路灯不亮了',
    '楼道里电动车充电，容易着火',
    '没有着火，就是有点烟味',
    '有人在小区里摆摊',
    '垃圾桶满了',
    '面包过期了两个月还在卖',
    '公司扣了一个月工资',
  ])('daily: %s', (text) => expect(urgencyOf(text)).toBe('daily'));

  it('says which words decided', () => {
    expect(parseReport({ text: '楼道里一股煤气味' }).evidence.urgency).toContain('煤气味');
  });
});
