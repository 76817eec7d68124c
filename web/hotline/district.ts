import type { DistrictSeed } from '../../config/district';
import { COMMUNITY_DEPT_CODE } from '../../src/cases';
import { departmentName } from '../../src/labels';
import { hotlineError } from './errors';

export interface HotlineStreet {
  id: string;
  name: string;
  communities: { id: string; name: string }[];
}

/** What the hotline API needs of the district seed: its streets and communities, department names. */
export interface HotlineDistrict {
  districtId: string;
  streets: HotlineStreet[];
  departmentNames: ReadonlyMap<string, string>;
}

export function hotlineDistrictFrom(seed: DistrictSeed): HotlineDistrict {
  return {
    districtId: seed.district.id,
    streets: seed.streets.map((s) => ({ id: s.id, name: s.name, communities: s.communities.map((c) => ({ id: c.id, name: c.name })) })),
    departmentNames: new Map(seed.departments.map((d) => [d.code, d.name ?? departmentName(d.code)])),
  };
}

/** A department as the district names it; the community's own department as the community. */
export function departmentLabel(district: HotlineDistrict, code: string, communityId: string | undefined): string {
  if (code === COMMUNITY_DEPT_CODE && communityId !== undefined) {
    const community = district.streets.flatMap((s) => s.communities).find((c) => c.id === communityId);
    if (community) return community.name;
  }
  return district.departmentNames.get(code) ?? departmentName(code);
}

/**
 * The street (and community) an order goes to. `streetId` may be left out only when the district
 * has a single street; an unknown street or a community outside the street is refused by name.
 */
export function placeOf(district: HotlineDistrict, streetId: string | undefined, communityId: string | undefined): { streetId: string; communityId?: string } {
  const known = district.streets.map((s) => s.id);
  const only = district.streets.length === 1 ? district.streets[0] : undefined;
  if (streetId === undefined && !only) {
    throw hotlineError('invalid_request', {
      message: `街道（streetId）：本区有 ${known.length} 个街道，请填写 streetId（${known.join('、')}）`,
      details: { issues: [{ field: 'streetId', message: '必填' }], streets: known },
    });
  }
  const street = streetId === undefined ? only : district.streets.find((s) => s.id === streetId);
  if (!street) {
    throw hotlineError('unknown_street', { message: `街道“${streetId}”不存在，可用的街道：${known.join('、')}`, details: { field: 'streetId', streetId, streets: known } });
  }
  if (communityId === undefined) return { streetId: street.id };
  if (!street.communities.some((c) => c.id === communityId)) {
    throw hotlineError('unknown_community', {
      message: `社区“${communityId}”不存在或不属于街道“${street.name}”`,
      details: { field: 'communityId', communityId, streetId: street.id, communities: street.communities.map((c) => c.id) },
    });
  }
  return { streetId: street.id, communityId };
}
