import type { Case, TimelineEvent } from '../../src/cases';
import type { ResidentStatus, TimelineItemView } from './schemas';

/** How the resident sees names: departments by their public name, the community by its own. */
export interface NameBook {
  department(code: string): string;
}

export const STATUS_NAMES: Record<ResidentStatus, string> = {
  submitted: '待受理',
  processing: '办理中',
  verifying: '待核实',
  closed: '已办结',
  cancelled: '已撤销',
  merged: '已合并办理',
};

export function residentStatus(c: Case): ResidentStatus {
  switch (c.state) {
    case 'triage': return 'submitted';
    case 'community':
    case 'whistled':
    case 'in_progress': return 'processing';
    case 'awaiting_verification': return 'verifying';
    case 'closed': return 'closed';
    case 'cancelled': return 'cancelled';
    case 'merged': return 'merged';
  }
}


function departmentsOf(event: TimelineEvent, names: NameBook): string[] {
  const listed = typeof event.details.departments === 'string' ? event.details.departments.split(',').filter(Boolean) : [];
  const codes = listed.length > 0 ? listed : event.deptCode ? [event.deptCode] : [];
  return codes.map((code) => names.department(code));
}

/**
 * One timeline entry as the resident reads it, or undefined for internal steps (returns between
 * departments, extension requests, whistle ratings). Staff names, user ids, phone numbers and
 * internal notes are never copied: only department names, a fixed sentence and the time.
 */
function residentEntry(event: TimelineEvent, names: NameBook): Omit<TimelineItemView, 'at'> | undefined {
  const departments = departmentsOf(event, names);
  const joined = departments.join('、');
  switch (event.type) {
    case 'created': return { type: 'created', title: '诉求已提交', departments: [] };
    case 'whistled': return { type: 'whistled', title: `已转交${joined}办理`, departments };
    case 'accepted': return { type: 'accepted', title: `${joined}已受理`, departments };
    case 'feedback':
      return event.details.role === 'lead'
        ? { type: 'feedback', title: `${joined}已办理完毕，等待核实`, departments }
        : { type: 'feedback', title: `${joined}已反馈协办情况`, departments };
    case 'verified':
      return event.details.resolution === 'solved'
        ? { type: 'verified', title: '经核实问题已解决，诉求办结', departments: [] }
        : { type: 'verified', title: '经核实暂时无法解决，诉求办结，街道已说明情况', departments: [] };
    case 'reopened': return { type: 'reopened', title: '经核实问题尚未解决，已要求重新办理', departments };
    case 'escalated_to_street': return { type: 'escalated', title: '已提交街道协调办理', departments: [] };
    case 'merged': return { type: 'merged', title: '与其他居民反映的同一问题合并办理', departments: [] };
    case 'cancelled': return { type: 'cancelled', title: '诉求已撤销', departments: [] };
    case 'rated': return { type: 'rated', title: '您已评价', departments: [] };
    case 'returned':
    case 'whistle_rated':
    case 'department_rated':
    case 'extension_requested':
    case 'extension_decided':
    case 'duplicate_merged_in':
    case 'deadline_reminder':
    case 'deadline_escalation':
      return undefined;
  }
}

export function residentTimeline(c: Case, names: NameBook): TimelineItemView[] {
  return c.timeline.flatMap((event) => {
    const entry = residentEntry(event, names);
    return entry ? [{ ...entry, at: event.at.toISOString() }] : [];
  });
}
