import type { MemberInput } from '../../../../fakes/wecom';

/**
 * WeChat Work's directory of the demo district as config/directory.demo.json maps it: the same
 * people as config/district.demo.json, in departments with the ids the mapping names.
 */
const DEPARTMENT_CODES = ['zhujian', 'chengguan', 'shuiwu', 'ranqi', 'gongdian', 'shichang', 'paichusuo', 'jiaojing', 'huanbao', 'yuanlin', 'xiaofang', 'yingji', 'renshe', 'minzheng', 'weijian', 'sifa', 'shequ'];
const DEPARTMENT_NAMES = ['住建局', '城管局', '水务局', '燃气公司', '供电公司', '市场监管局', '派出所', '交警大队', '生态环境局', '园林绿化局', '消防救援站', '应急管理局', '人社局', '民政局', '卫健委', '司法所', '社区办'];

export function demoDirectory(): { departments: { id: number; name: string; parentId?: number }[]; members: MemberInput[] } {
  const departments = [
    { id: 2, name: '示范区领导' },
    { id: 10, name: '区直部门' },
    ...DEPARTMENT_NAMES.map((name, i) => ({ id: 11 + i, name, parentId: 10 })),
    { id: 30, name: '文明街道' },
    { id: 31, name: '农机社区', parentId: 30 },
    { id: 311, name: '农机社区第一网格', parentId: 31 },
    { id: 312, name: '农机社区第二网格', parentId: 31 },
    { id: 32, name: '将军府社区', parentId: 30 },
    { id: 321, name: '将军府社区第一网格', parentId: 32 },
    { id: 33, name: '和平社区', parentId: 30 },
    { id: 331, name: '和平社区第一网格', parentId: 33 },
    { id: 90, name: '物业外包' },
  ];
  const members: MemberInput[] = [
    ...DEPARTMENT_CODES.flatMap((code, i) => [
      { userId: `${code}-lead`, name: `${DEPARTMENT_NAMES[i]}负责人`, departments: [11 + i], leads: [11 + i] },
      { userId: `${code}-staff`, name: `${DEPARTMENT_NAMES[i]}工作人员`, departments: [11 + i] },
    ]),
    { userId: 'grid-zhang', name: '张网格', departments: [311] },
    { userId: 'grid-li', name: '李网格', departments: [312] },
    { userId: 'grid-wang', name: '王网格', departments: [321] },
    { userId: 'grid-zhao', name: '赵网格', departments: [331] },
    { userId: 'community-nongji', name: '农机社区工作人员', departments: [31] },
    { userId: 'dispatcher-wenming', name: '文明街道调度员', departments: [30] },
    { userId: 'street-leader-wenming', name: '文明街道主任', departments: [30], leads: [30] },
    { userId: 'district-leader', name: '区领导', departments: [2] },
    { userId: 'district-admin', name: '系统管理员', departments: [1] },
    { userId: 'outsourced-1', name: '外包保洁', departments: [90] },
  ];
  return { departments, members };
}
