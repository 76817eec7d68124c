import { activeAssignments, type AssignmentState, type Case, type CaseReadAccess, type CaseState } from '../../../src/cases';
import { category as categoryInfo, department, isCategoryCode, isDepartmentCode, urgencyName } from '../../../src/taxonomy';
import type { Masker } from './ports';

const CASE_STATE_NAMES: Record<CaseState, string> = {
  triage: '待分拣',
  community: '社区处理中',
  whistled: '已吹哨待接单',
  in_progress: '办理中',
  awaiting_verification: '待核查',
  closed: '已办结',
  cancelled: '已撤销',
  merged: '已合并',
};

const ASSIGNMENT_STATE_NAMES: Record<AssignmentState, string> = {
  pending: '待接单',
  accepted: '办理中',
  returned: '已退回',
  done: '已反馈',
  withdrawn: '已撤回',
};

export function caseStateName(state: CaseState): string {
  return CASE_STATE_NAMES[state];
}

function categoryName(c: Case): string {
  const code = c.parsed.category;
  return code !== undefined && isCategoryCode(code) ? categoryInfo(code).name : '未分类';
}

function departmentName(code: string): string {
  return isDepartmentCode(code) ? department(code).name : code;
}

/** `MM-DD HH:mm` in China time, whatever the server's zone. */
function shortTime(at: Date): string {
  const china = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return `${china.slice(5, 10)} ${china.slice(11, 16)}`;
}

/** 我的上报: one line per case, newest first. */
export function myReportsText(cases: readonly Case[]): string {
  const lines = cases.map((c) => `${c.number} ${categoryName(c)} · ${caseStateName(c.state)} · ${shortTime(c.createdAt)}`);
  return [`您最近上报的 ${cases.length} 件：`, ...lines, '发送案件编号可查看详情。'].join('\n');
}

/** Who reported the case, as street and community staff (and departments once released) see it. */
function reporterLabel(c: Case): string {
  const name = c.reporter.name;
  switch (c.source) {
    case 'grid': return name ?? c.reporter.userId ?? '网格员';
    case 'resident': return name ?? '居民（小程序）';
    default: return name ?? '未留名';
  }
}

/**
 * One case's state for someone who may read it. Phone numbers and plates are hidden from all but
 * the reporter; the reporter's name only from departments the street has not released it to.
 */
export function caseSummaryText(c: Case, access: Extract<CaseReadAccess, { allowed: true }>, mask: Masker): string {
  const shown = (text: string) => (access.unmasked ? text : mask(text));
  const lines = [
    `案件 ${c.number}（${caseStateName(c.state)}）`,
    `类别：${categoryName(c)}　${urgencyName(c.parsed.urgency)}`,
    `地点：${c.parsed.locationText ? shown(c.parsed.locationText) : '未填写'}`,
    `内容：${shown(c.text)}`,
  ];
  if (access.as !== 'reporter') lines.push(`反映人：${access.reporter ? reporterLabel(c) : '由街道保管，街道公开后可见'}`);
  const departments = activeAssignments(c).map((a) => `${departmentName(a.deptCode)}（${a.role === 'lead' ? '主办' : '协办'}，${ASSIGNMENT_STATE_NAMES[a.state]}）`);
  if (departments.length > 0) lines.push(`承办：${departments.join('、')}`);
  if (c.mergedInto) lines.push(`已合并到：${c.mergedInto}`);
  lines.push(`上报时间：${shortTime(c.createdAt)}`);
  return lines.join('\n');
}
