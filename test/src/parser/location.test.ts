import { parseReport } from '../../../src/parser';

const locationOf = (text: string): string | null => parseReport({ text }).location;

describe('location extraction', () => {
  it('keeps intersections whole', () => {
    expect(locationOf('文明大街与农机路交叉口有个大坑')).toBe('文明大街与农机路交叉口');
    expect(locationOf('紫荆路和兴业街路口红绿灯坏了')).toBe('紫荆路和兴业街路口');
    expect(locationOf('农机路与文明大街交叉口东北角的下水道冒污水')).toBe('农机路与文明大街交叉口东北角');
  });

  it('chains compound, building, unit and relative position', () => {
    expect(locationOf('将军府小区3号楼2单元门口有股煤气味')).toBe('将军府小区3号楼2单元门口');
    expect(locationOf('人民路东侧50米电线掉下来了')).toBe('人民路东侧50米');
    expect(locationOf('桃园路58号门前井口没盖子')).toBe('桃园路58号门前');
  });

  it('finds names it has never seen from their suffix', () => {
    expect(locationOf('我家楼下青松路上有个坑')).toBe('青松路');
    expect(locationOf('住在碧水湾小区的居民反映停水')).toBe('碧水湾小区');
  });

  it('does not read a case number as a room number', () => {
    expect(locationOf('查询 2026-000123')).toBeNull();
    expect(locationOf('3-2-501家里漏水')).toBe('3-2-501');
  });

  it('prefers the place the writer introduces with 在 or 位置', () => {
    expect(locationOf('晚上有人飙车 摩托车炸街 在滨河大道')).toBe('滨河大道');
    expect(locationOf('油烟很大 位置：清河路15号')).toBe('清河路15号');
  });

  it('keeps names that begin with a character that usually ends one', () => {
    expect(locationOf('和谐家园5栋门口有个坑')).toBe('和谐家园5栋门口');
  });

  it('accepts an unnamed landmark only when it is introduced as the place', () => {
    expect(locationOf('有条狗在菜市场门口咬人')).toBe('菜市场门口');
    expect(locationOf('菜市场门口有人摆摊')).toBeNull();
  });

  it('says null when no place is named', () => {
    expect(locationOf('楼道里有煤气味')).toBeNull();
    expect(locationOf('小区门口有人摆摊')).toBeNull();
    expect(locationOf('路灯坏了好多天了')).toBeNull();
  });
});
