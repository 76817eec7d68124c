import type { Participant } from '../../../src/alliance/types';
import type { Viewer } from '../../../src/console/access';
import { mayRegister, registrationOf } from '../../../web/console/allianceRoutes';
import { HttpError } from '../../../web/errors';

const streets = [
  { id: 'wenming', name: '文明街道', communities: [{ id: 'nongji' }, { id: 'heping' }] },
  { id: 'hongqi', name: '红旗街道', communities: [{ id: 'hongqi1' }] },
];
const viewer = (roles: Viewer['roles'], scope: Viewer['scope']): Viewer => ({ userId: 'u', name: 'U', roles, scope, districtId: 'd', actorRole: 'dispatcher' });
const dispatcher = viewer(['dispatcher'], { kind: 'streets', streetIds: ['wenming'] });
const admin = viewer(['admin'], { kind: 'district' });
const unit: Participant = { id: 'unit-x', kind: 'alliance_unit', name: '某单位', skills: [] };

function refusal(run: () => unknown): { status: number; code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('registering participants from the command centre: who and where', () => {
  test('admins and street staff may register; district leaders and departments may not', () => {
    expect(mayRegister(admin)).toBe(true);
    expect(mayRegister(dispatcher)).toBe(true);
    expect(mayRegister(viewer(['street_leader'], { kind: 'streets', streetIds: ['wenming'] }))).toBe(true);
    expect(mayRegister(viewer(['district_leader'], { kind: 'district' }))).toBe(false);
    expect(mayRegister(viewer(['dept_lead'], { kind: 'department', deptCode: 'zhujian' }))).toBe(false);
  });

  test('street staff register in their own street (the default); admins name the street', () => {
    expect(registrationOf(dispatcher, unit, streets)).toEqual({ ...unit, streetId: 'wenming' });
    expect(registrationOf(admin, { ...unit, streetId: 'hongqi', communityId: 'hongqi1' }, streets)).toMatchObject({ streetId: 'hongqi', communityId: 'hongqi1' });
  });

  test('refused: another street, an unknown street, a community of another street, no street for an admin', () => {
    expect(refusal(() => registrationOf(dispatcher, { ...unit, streetId: 'hongqi' }, streets))).toEqual({ status: 403, code: 'other_street', message: '只能登记本街道的报到对象' });
    expect(refusal(() => registrationOf(admin, { ...unit, streetId: 'nosuch' }, streets))).toMatchObject({ status: 400, message: '街道 nosuch 不在本区' });
    expect(refusal(() => registrationOf(dispatcher, { ...unit, communityId: 'hongqi1' }, streets))).toMatchObject({ status: 400, message: '社区 hongqi1 不属于文明街道' });
    expect(refusal(() => registrationOf(admin, unit, streets))).toMatchObject({ status: 400, message: '请选择所属街道' });
  });

  test('refused: a party member without home organisation, a resident identity', () => {
    expect(refusal(() => registrationOf(dispatcher, { ...unit, kind: 'party_member' }, streets))).toMatchObject({ status: 400, message: '党员请填写所在党组织（双报到评价鉴定寄回的单位）' });
    expect(registrationOf(dispatcher, { ...unit, kind: 'party_member', homeOrganisation: '市某局党支部' }, streets)).toMatchObject({ homeOrganisation: '市某局党支部' });
    expect(refusal(() => registrationOf(dispatcher, { ...unit, kind: 'volunteer', residentId: 'openid-1' }, streets))).toMatchObject({ status: 400, message: '居民志愿者请在小程序中自行注册，指挥中心不能代填居民身份' });
  });
});
