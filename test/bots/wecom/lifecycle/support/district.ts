import { districtSeedSchema, type DistrictSeed } from '../../../../../config/district';

export const DISTRICT_ID = 'test-district';
export const STREET_ID = 'street1';
export const APP_CHAT_ID = 'chatchengguan';

/** 城管's group chat, made in WeChat Work before the app runs. */
export const TEST_APP_CHATS = [{ chatid: APP_CHAT_ID, name: '城管群', userlist: ['cg-lead', 'dispatcher1'] }];

/** A small district: two leads in 住建 (for the double tap), one-lead 水务 and 城管, one grid, one dispatcher. */
export const testDistrict: DistrictSeed = districtSeedSchema.parse({
  district: { id: DISTRICT_ID, name: '测试区', leadershipChat: { kind: 'webhook', key: 'wh-leaders' } },
  streets: [
    {
      id: STREET_ID,
      name: '测试街道',
      communities: [{ id: 'comm1', name: '测试社区', grids: [{ id: 'grid1', name: '第一网格' }] }],
    },
    { id: 'street2', name: '另一街道', communities: [{ id: 'comm2', name: '另一社区', grids: [{ id: 'grid2', name: '另一网格' }] }] },
  ],
  departments: [
    { code: 'zhujian', chat: { kind: 'webhook', key: 'wh-zhujian' } },
    { code: 'shuiwu', chat: { kind: 'webhook', key: 'wh-shuiwu' } },
    { code: 'chengguan', chat: { kind: 'appchat', chatId: APP_CHAT_ID } },
    { code: 'shequ', chat: { kind: 'webhook', key: 'wh-shequ' } },
  ],
  users: [
    { userId: 'zj-lead1', name: '住建甲', roles: ['dept_lead'], deptCode: 'zhujian' },
    { userId: 'zj-lead2', name: '住建乙', roles: ['dept_lead'], deptCode: 'zhujian' },
    { userId: 'zj-staff', name: '住建丙', roles: ['dept_member'], deptCode: 'zhujian' },
    { userId: 'sw-lead', name: '水务甲', roles: ['dept_lead'], deptCode: 'shuiwu' },
    { userId: 'sw-staff', name: '水务乙', roles: ['dept_member'], deptCode: 'shuiwu' },
    { userId: 'cg-lead', name: '城管甲', roles: ['dept_lead'], deptCode: 'chengguan' },
    { userId: 'sq-lead', name: '社区甲', roles: ['dept_lead'], deptCode: 'shequ' },
    { userId: 'grid-zhang', name: '张网格', roles: ['grid_member'], gridId: 'grid1' },
    { userId: 'grid-li', name: '李网格', roles: ['grid_member'], gridId: 'grid2' },
    { userId: 'comm-worker', name: '社区干部', roles: ['community_worker'], communityId: 'comm1', streetId: STREET_ID },
    { userId: 'dispatcher1', name: '调度员', roles: ['dispatcher'], streetId: STREET_ID },
    { userId: 'dispatcher2', name: '二街调度', roles: ['dispatcher'], streetId: 'street2' },
  ],
});

/** The test district as a TestApp runs it: its organisation and 城管's group chat. */
export const testDistrictApp = { district: testDistrict, appChats: TEST_APP_CHATS };
