import { ASSIGNMENT_STATE_NAMES, CASE_STATE_NAMES, categoryName, departmentName } from '../../../src/labels';
import { activeAssignments, type Case, type CaseReadAccess } from '../../../src/cases';
import { urgencyName } from '../../../src/taxonomy';
import type { Masker } from './ports';
import { formatChinaTime } from '../../../src/chinaTime';

/** 我的上报: one line per case, newest first. */
export function myReportsText(cases: readonly Case[]): string {
  const lines = cases.map((c) => `${c.number} ${categoryName(c.parsed.category)} · ${CASE_STATE_NAMES.chat[c.state]} · ${formatChinaTime(c.createdAt, 'short')}`);
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
    `案件 ${c.number}（${CASE_STATE_NAMES.chat[c.state]}）`,
    `类别：${categoryName(c.parsed.category)}　${urgencyName(c.parsed.urgency)}`,
    `地点：${c.parsed.locationText ? shown(c.parsed.locationText) : '未填写'}`,
    `内容：${shown(c.text)}`,
  ];
  if (access.as !== 'reporter') lines.push(`反映人：${access.reporter ? reporterLabel(c) : '由街道保管，街道公开后可见'}`);
  const departments = activeAssignments(c).map((a) => `${departmentName(a.deptCode)}（${a.role === 'lead' ? '主办' : '协办'}，${ASSIGNMENT_STATE_NAMES.chat[a.state]}）`);
  if (departments.length > 0) lines.push(`承办：${departments.join('、')}`);
  if (c.mergedInto) lines.push(`已合并到：${c.mergedInto}`);
  lines.push(`上报时间：${formatChinaTime(c.createdAt, 'short')}`);
  return lines.join('\n');
}
