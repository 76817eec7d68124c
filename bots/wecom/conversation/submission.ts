import { departmentName } from '../../../src/labels';
import type { UserDoc } from '../../../store/models/org';
import type { ReportSubmission, SubmitOutcome } from './ports';
import type { DraftSummary } from './summarise';

/** The lifecycle's input for a confirmed draft of a grid member (or community worker). */
export function submissionOf(reporter: UserDoc, summary: DraftSummary): ReportSubmission {
  const submission: ReportSubmission = {
    source: 'grid',
    channel: 'wecom',
    reporter: { userId: reporter._id, name: reporter.name },
    districtId: reporter.districtId,
    streetId: reporter.streetId ?? '',
    text: summary.text,
    media: summary.media,
    parsed: { category: summary.category, urgency: summary.urgency, location: summary.location, departments: summary.departments, confidence: summary.confidence },
  };
  if (reporter.communityId !== undefined) submission.communityId = reporter.communityId;
  if (reporter.gridId !== undefined) submission.gridId = reporter.gridId;
  if (summary.lat !== undefined) submission.lat = summary.lat;
  if (summary.lng !== undefined) submission.lng = summary.lng;
  return submission;
}

/** The line the confirmed card shows under "已上报 <number>". */
export function outcomeNote(outcome: SubmitOutcome): string {
  switch (outcome.outcome) {
    case 'whistled': {
      const names = outcome.case.assignments.map((a) => departmentName(a.deptCode)).join('、');
      return names ? `已吹哨至${names}` : '已吹哨派单';
    }
    case 'triage': return '已转街道调度员分拣派单';
    case 'community': return '已交社区先行处理';
    case 'merged': return outcome.duplicateOf ? `与 ${outcome.duplicateOf.number} 为同一问题，已合并办理` : '与已上报的问题相同，已合并办理';
  }
}
