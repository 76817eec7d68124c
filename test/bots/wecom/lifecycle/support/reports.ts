import type { ReportSubmission } from '../../../../../commands/submitReport';
import { DISTRICT_ID, STREET_ID } from './district';

let seq = 0;

/** A grid member's report, routed with high confidence unless overridden; each at a distinct place by default. */
export function gridReport(overrides: Partial<Omit<ReportSubmission, 'parsed'>> & { parsed?: Partial<ReportSubmission['parsed']> } = {}): ReportSubmission {
  seq += 1;
  const { parsed, ...rest } = overrides;
  return {
    source: 'grid',
    channel: 'wecom',
    reporter: { userId: 'grid-zhang', name: '张网格' },
    districtId: DISTRICT_ID,
    streetId: STREET_ID,
    communityId: 'comm1',
    gridId: 'grid1',
    text: `测试路${seq}号门口路面塌陷一个大坑，车辆通行危险`,
    media: [{ kind: 'image', ref: `media/pothole-${seq}.jpg` }],
    ...rest,
    parsed: { category: 'road', urgency: 'key', location: `测试路${seq}号`, departments: [], confidence: 0.9, ...parsed },
  };
}
