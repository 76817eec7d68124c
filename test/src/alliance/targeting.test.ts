import { isTargeted } from '../../../src/alliance';
import { activity, participant } from './fixtures';

describe('targeting', () => {
  it('addresses a kind in the organiser street, a named participant, and needs a shared skill when skills are asked for', () => {
    expect(isTargeted(activity(), participant())).toBe(true);
    expect(isTargeted(activity(), participant({ streetId: 'other' }))).toBe(false);
    expect(isTargeted(activity(), participant({ kind: 'alliance_unit' }))).toBe(false);
    expect(isTargeted(activity({ targetIds: ['p1'], targetKinds: [] }), participant({ kind: 'alliance_unit' }))).toBe(true);
    expect(isTargeted(activity({ skills: ['义诊'] }), participant({ skills: ['助老'] }))).toBe(false);
    expect(isTargeted(activity({ skills: ['义诊'] }), participant({ skills: ['义诊'] }))).toBe(true);
  });

  it('a community whistle reaches only its own grid members', () => {
    const community = activity({ organiser: { level: 'community', id: 'nongji', userId: 'sq' }, targetKinds: ['grid_member'] });
    expect(isTargeted(community, participant({ kind: 'grid_member', communityId: 'nongji' }))).toBe(true);
    expect(isTargeted(community, participant({ kind: 'grid_member', communityId: 'heping' }))).toBe(false);
  });
});
