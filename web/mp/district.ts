import type { DistrictSeed } from '../../config/district';
import { departmentName } from '../../src/labels';
import type { OrgRepository } from '../../store/orgRepository';
import type { NameBook } from './residentTimeline';

export interface MpCommunity {
  id: string;
  name: string;
  streetId: string;
  streetName: string;
}

/** The places a resident can report in, from the district seed. */
export interface MpDistrict {
  districtId: string;
  /** Where a report without a community goes: the street dispatcher of the district's first street. */
  defaultStreetId: string;
  communities: MpCommunity[];
}

export function mpDistrictFrom(seed: DistrictSeed): MpDistrict {
  const first = seed.streets[0];
  if (!first) throw new Error('The district seed has no street; the mini-program needs at least one.');
  return {
    districtId: seed.district.id,
    defaultStreetId: first.id,
    communities: seed.streets.flatMap((s) => s.communities.map((c) => ({ id: c.id, name: c.name, streetId: s.id, streetName: s.name }))),
  };
}

/**
 * Department names as this district calls them (the seed may rename a taxonomy department);
 * the community's own department shows as the community's name.
 */
export async function nameBookFor(org: Pick<OrgRepository, 'departments'>, district: MpDistrict, communityId: string | undefined): Promise<NameBook> {
  const names = new Map((await org.departments(district.districtId)).map((d) => [d.code, d.name]));
  const community = district.communities.find((c) => c.id === communityId);
  return {
    department: (code) => (code === 'shequ' && community ? community.name : (names.get(code) ?? departmentName(code))),
  };
}
