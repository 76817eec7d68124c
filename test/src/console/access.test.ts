import { whistle } from '../../../src/cases';
import { canSee, viewerFor } from '../../../src/console/access';
import { summarise } from '../../../src/console/summary';
import { actors, ctx, newCase, ok } from '../cases/fixtures';

const whistledTo = (dept: string, id: string, overrides = {}) => ok(whistle(newCase(overrides, id), { departments: [dept] }, ctx(actors.dispatcher)));

describe('who sees what', () => {
  test('the widest console role wins; grid members get no console', () => {
    expect(viewerFor({ userId: 'a', name: 'A', districtId: 'd1', roles: ['admin', 'dispatcher'], streetId: 's1' })?.scope).toEqual({ kind: 'district' });
    expect(viewerFor({ userId: 'b', name: 'B', districtId: 'd1', roles: ['dispatcher'], streetId: 's1' })).toMatchObject({ scope: { kind: 'streets', streetIds: ['s1'] }, actorRole: 'dispatcher' });
    expect(viewerFor({ userId: 'c', name: 'C', districtId: 'd1', roles: ['dept_lead'], deptCode: 'zhujian' })).toMatchObject({ scope: { kind: 'department', deptCode: 'zhujian' }, actorRole: 'dept_lead' });
    expect(viewerFor({ userId: 'd', name: 'D', districtId: 'd1', roles: ['grid_member'] })).toBeUndefined();
    expect(viewerFor({ userId: 'e', name: 'E', districtId: 'd1', roles: ['dispatcher'] })).toBeUndefined();
  });

  test('a department sees only cases it was whistled on; a street only its streets', () => {
    const c = summarise(whistledTo('zhujian', 'c1'));
    expect(canSee({ kind: 'department', deptCode: 'zhujian' }, c)).toBe(true);
    expect(canSee({ kind: 'department', deptCode: 'chengguan' }, c)).toBe(false);
    expect(canSee({ kind: 'streets', streetIds: ['s1'] }, c)).toBe(true);
    expect(canSee({ kind: 'streets', streetIds: ['s2'] }, c)).toBe(false);
    expect(canSee({ kind: 'district' }, c)).toBe(true);
  });
});
