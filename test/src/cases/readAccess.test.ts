import { caseReadAccess, type CaseReader } from '../../../src/cases';
import { newCase } from './fixtures';

const reader = (overrides: Partial<CaseReader>): CaseReader => ({ userId: 'someone', districtId: 'd1', roles: [], ...overrides });

describe('who may read a case', () => {
  const c = { ...newCase(), assignments: [{ deptCode: 'zhujian', role: 'lead' as const, state: 'accepted' as const, whistledAt: new Date(), resultMedia: [], reopenCount: 0, extensions: [] }] };

  it('lets its reporter, the district, its street, its community and the departments on it read it', () => {
    expect(caseReadAccess(reader({ userId: 'grid-wang', roles: ['grid_member'], communityId: 'other' }), c)).toMatchObject({ allowed: true, as: 'reporter', unmasked: true });
    expect(caseReadAccess(reader({ roles: ['admin'] }), c)).toMatchObject({ allowed: true, as: 'district', reporter: true, unmasked: false });
    expect(caseReadAccess(reader({ roles: ['district_leader'] }), c)).toMatchObject({ allowed: true, as: 'district' });
    expect(caseReadAccess(reader({ roles: ['dispatcher'], streetId: 's1' }), c)).toMatchObject({ allowed: true, as: 'street', reporter: true });
    expect(caseReadAccess(reader({ roles: ['community_worker'], communityId: 'c1' }), c)).toMatchObject({ allowed: true, as: 'community', reporter: true });
    expect(caseReadAccess(reader({ roles: ['dept_member'], deptCode: 'zhujian' }), c)).toMatchObject({ allowed: true, as: 'department', reporter: false, unmasked: false });
    const released = { ...c, reporterRelease: { by: 'disp', at: new Date(), reason: '上门' } };
    expect(caseReadAccess(reader({ roles: ['dept_lead'], deptCode: 'zhujian' }), released)).toMatchObject({ allowed: true, as: 'department', reporter: true });
  });

  it('refuses everyone else: another street, another community, another department, another district, no role', () => {
    for (const r of [
      reader({ roles: ['dispatcher'], streetId: 's2' }),
      reader({ roles: ['street_leader'] }),
      reader({ roles: ['grid_member'], communityId: 'c2' }),
      reader({ roles: ['grid_member'] }),
      reader({ roles: ['dept_lead'], deptCode: 'chengguan' }),
      reader({ roles: ['admin'], districtId: 'd2' }),
      reader({ userId: 'grid-wang', roles: ['grid_member'], districtId: 'd2' }),
      reader({}),
    ]) {
      expect(caseReadAccess(r, c)).toEqual({ allowed: false });
    }
  });
});
