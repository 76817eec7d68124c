import type { CaseState, TimelineEventType } from '../../src/cases/types';
import { category, department, isCategoryCode, isDepartmentCode, urgencyName } from '../../src/taxonomy';
import type { Urgency } from '../../src/taxonomy';

export const STATE_NAMES: Record<CaseState, string> = {
  triage: '待分拨', community: '社区办理', whistled: '已吹哨', in_progress: '办理中', awaiting_verification: '待核实',
  closed: '已结案', cancelled: '已撤销', merged: '已合并',
};

export const EVENT_NAMES: Record<TimelineEventType, string> = {
  created: '上报', whistled: '吹哨派单', accepted: '接哨报到', returned: '退回', feedback: '办理反馈', verified: '核实',
  reopened: '重新办理', rated: '满意度评价', whistle_rated: '吹哨评价', department_rated: '街道评价部门', extension_requested: '申请延期', extension_decided: '延期审批',
  escalated_to_street: '上报街道', merged: '合并为重复件', duplicate_merged_in: '并入重复件', cancelled: '撤销',
  reassigned: '改派', hard_case_marked: '列为疑难件', hard_case_resolved: '解除疑难件', reporter_released: '公开反映人信息',
  escalated_to_district: '提请区级督办', deadline_reminder: '催办', deadline_escalation: '督办',
};

export const ROLE_NAMES: Record<string, string> = {
  admin: '管理员', district_leader: '区领导', street_leader: '街道领导', dispatcher: '街道调度员', dept_lead: '部门负责人', dept_member: '部门工作人员',
  grid: '网格员', reporter: '反映人', leader: '领导', system: '系统',
};

export function deptName(code: string): string {
  return isDepartmentCode(code) ? department(code).name : code;
}

export function categoryName(code: string | undefined): string {
  if (code === undefined) return '未分类';
  return isCategoryCode(code) ? category(code).name : code;
}

export function urgencyLabel(code: Urgency): string {
  return urgencyName(code);
}
