import { join } from 'node:path';
import { directoryMappingSchema, type DirectoryMapping } from '../../../config/directory';
import { loadDistrictSeed } from '../../../config/district';
import { buildOrganisation } from '../../../src/directory/buildOrganisation';
import { diffOrganisations, formatDiff } from '../../../src/directory/diff';
import type { Directory, DirectoryMember } from '../../../src/directory/types';

const skeleton = loadDistrictSeed(join(__dirname, '../../../config/district.demo.json'));

const mapping = (raw: unknown): DirectoryMapping => directoryMappingSchema.parse(raw);
const member = (userId: string, departments: number[], extra: Partial<DirectoryMember> = {}): DirectoryMember => ({ userId, name: userId, departments, leaderIn: [], status: 1, ...extra });

const STREET = { wecom: { name: '文明街道' }, street: 'wenming' };
const directory = (members: DirectoryMember[], departments = [{ id: 30, name: '文明街道', parentId: 1 }, { id: 31, name: '农机社区', parentId: 30 }, { id: 311, name: '一网格', parentId: 31 }, { id: 3111, name: '一网格志愿队', parentId: 311 }]): Directory => ({ departments, members });

describe('building the organisation from a WeChat Work directory', () => {
  it('members of unmapped sub-departments belong to the nearest mapped ancestor; leaders get leader roles', () => {
    const built = buildOrganisation(skeleton, mapping({ entries: [STREET, { wecom: { id: 311 }, grid: 'nongji-1' }] }), directory([member('a', [3111]), member('boss', [30], { leaderIn: [30] }), member('clerk', [30])]));
    if (!built.ok) throw new Error(built.problems.join('\n'));
    expect(built.seed.users).toEqual([
      { userId: 'a', name: 'a', roles: ['grid_member'], streetId: 'wenming', communityId: 'nongji', gridId: 'nongji-1' },
      { userId: 'boss', name: 'boss', roles: ['street_leader'], streetId: 'wenming' },
      { userId: 'clerk', name: 'clerk', roles: ['dispatcher'], streetId: 'wenming' },
    ]);
    expect(built.bindings).toEqual({ 'name:文明街道': 30, 'id:311': 311 });
    // The grid is named after its WeChat Work department (followNames), the street keeps its name.
    expect(built.seed.streets[0]!.communities[0]!.grids[0]!.name).toBe('一网格');
  });

  it('a member in two departments holds both roles; the main department decides the place', () => {
    const built = buildOrganisation(
      skeleton,
      mapping({ entries: [STREET, { wecom: { id: 311 }, grid: 'nongji-1' }, { wecom: { id: 50 }, department: 'zhujian' }] }),
      directory([member('both', [50, 311], { mainDepartment: 311 })], [...directory([]).departments, { id: 50, name: '住建局', parentId: 1 }]),
    );
    if (!built.ok) throw new Error(built.problems.join('\n'));
    expect(built.seed.users[0]).toEqual({ userId: 'both', name: 'both', roles: ['grid_member', 'dept_member'], deptCode: 'zhujian', streetId: 'wenming', communityId: 'nongji', gridId: 'nongji-1' });
  });

  it('disabled and departed members hold no roles; people in no mapped department are listed as unmapped', () => {
    const built = buildOrganisation(skeleton, mapping({ entries: [STREET] }), directory([member('on', [30]), member('off', [30], { status: 2 }), member('gone', [30], { status: 5 }), member('elsewhere', [1])]));
    if (!built.ok) throw new Error(built.problems.join('\n'));
    expect(built.seed.users.map((u) => u.userId)).toEqual(['on']);
    expect(built.unmapped).toEqual(['elsewhere']);
  });

  it('refuses two departments carrying the name an entry maps by, unless it bound to one before', () => {
    const twins = directory([member('x', [30])], [{ id: 30, name: '文明街道', parentId: 1 }, { id: 40, name: '文明街道', parentId: 1 }]);
    const refused = buildOrganisation(skeleton, mapping({ entries: [STREET] }), twins);
    expect(refused).toEqual({ ok: false, problems: ['entries.0 (WeChat Work department "文明街道"): 2 WeChat Work departments are named "文明街道" (ids 30, 40); map it by {"id": …} instead'] });
    const remembered = buildOrganisation(skeleton, mapping({ entries: [STREET] }), twins, { 'name:文明街道': 30 });
    expect(remembered.ok).toBe(true);
  });

  it('refuses a role the person\'s place cannot carry, naming the member and what to change', () => {
    const refused = buildOrganisation(skeleton, mapping({ entries: [STREET], users: { outsider: { roles: ['dispatcher'] } } }), directory([member('on', [30]), member('outsider', [1], { name: '外来人' })]));
    expect(refused).toEqual({ ok: false, problems: ['WeChat Work member outsider (外来人): streetId is required for dispatcher; map their department or give them a role in DIRECTORY_CONFIG'] });
  });

  it('refuses a directory in which nobody falls in a mapped department', () => {
    const refused = buildOrganisation(skeleton, mapping({ entries: [{ wecom: { id: 999 }, street: 'wenming' }] }), directory([member('x', [30])]));
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.problems[0]).toMatch(/no WeChat Work member falls in a mapped department/);
  });

  it('survives a department tree with a cycle', () => {
    const looped = directory([member('x', [60])], [{ id: 30, name: '文明街道', parentId: 1 }, { id: 60, name: 'a', parentId: 61 }, { id: 61, name: 'b', parentId: 60 }]);
    const built = buildOrganisation(skeleton, mapping({ entries: [STREET, { wecom: { id: 2 }, roles: ['admin'] }], users: { y: { roles: ['admin'] } } }), { ...looped, members: [...looped.members, member('y', [1])] });
    if (!built.ok) throw new Error(built.problems.join('\n'));
    expect(built.unmapped).toEqual(['x']);
  });

  it('the diff names who came, went, moved, changed roles, and which units were renamed', () => {
    const before = buildOrganisation(skeleton, mapping({ entries: [STREET, { wecom: { id: 311 }, grid: 'nongji-1' }] }), directory([member('a', [311]), member('b', [30]), member('c', [30])]));
    const after = buildOrganisation(skeleton, mapping({ entries: [STREET, { wecom: { id: 311 }, grid: 'nongji-1' }] }), directory([member('a', [30]), member('b', [30], { leaderIn: [30] }), member('d', [311])], [{ id: 30, name: '文明街道', parentId: 1 }, { id: 311, name: '新一网格', parentId: 30 }]));
    if (!before.ok || !after.ok) throw new Error('expected both to build');
    const diff = diffOrganisations(before.seed, after.seed);
    expect(formatDiff(diff)).toEqual([
      '+ added    d (d)',
      '- removed  c (c)',
      '~ moved    a (a): wenming/nongji/nongji-1 → wenming',
      '~ roles    a (a): grid_member → dispatcher',
      '~ roles    b (b): dispatcher → street_leader',
      '~ renamed  grid nongji-1: 一网格 → 新一网格',
    ]);
  });
});
