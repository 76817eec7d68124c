import type { AssignmentState, CaseState, Satisfaction, TimelineEventType } from './cases/types';
import type { EscalationTarget } from './sla/policy';
import { category, department, isCategoryCode, isDepartmentCode } from './taxonomy';

/** The names people read for the domain's codes, in one place. */

/** The taxonomy's name of a department; an unknown code (a configured district's own unit) as itself. */
export function departmentName(code: string): string {
  return isDepartmentCode(code) ? department(code).name : code;
}

/**
 * The taxonomy's name of a category; `otherwise` for a code it does not know (an older one: pass
 * the code itself to show it) and 未分类 for none.
 */
export function categoryName(code: string | undefined, otherwise = '未分类'): string {
  if (code === undefined) return '未分类';
  return isCategoryCode(code) ? category(code).name : otherwise;
}

/**
 * A case's state, per audience: the same states read differently for each.
 * - `chat`: staff and grid members in WeChat Work (我的上报, a case looked up by number);
 * - `console`: the command centre's board, lists and exports;
 * - `public`: residents and outside platforms (the mini-program, the hotline, Open311 clients).
 */
export const CASE_STATE_NAMES: Record<'chat' | 'console' | 'public', Record<CaseState, string>> = {
  chat: {
    triage: '待分拣',
    community: '社区处理中',
    whistled: '已吹哨待接单',
    in_progress: '办理中',
    awaiting_verification: '待核查',
    closed: '已办结',
    cancelled: '已撤销',
    merged: '已合并',
  },
  console: {
    triage: '待分拨',
    community: '社区办理',
    whistled: '已吹哨',
    in_progress: '办理中',
    awaiting_verification: '待核实',
    closed: '已结案',
    cancelled: '已撤销',
    merged: '已合并',
  },
  public: {
    triage: '待街道分派',
    community: '社区办理中',
    whistled: '已吹哨，待部门报到',
    in_progress: '部门办理中',
    awaiting_verification: '已办理，待核实',
    closed: '已办结',
    cancelled: '已撤销',
    merged: '已并入其他案件办理',
  },
};

/** A department's part in a case, per audience as above. */
export const ASSIGNMENT_STATE_NAMES: Record<'chat' | 'public', Record<AssignmentState, string>> = {
  chat: {
    pending: '待接单',
    accepted: '办理中',
    returned: '已退回',
    done: '已反馈',
    withdrawn: '已撤回',
  },
  public: {
    pending: '待接哨',
    accepted: '办理中',
    returned: '已退回',
    done: '已办理完毕',
    withdrawn: '已撤回',
  },
};

export const SATISFACTION_NAMES: Record<Satisfaction, string> = { satisfied: '满意', basically: '基本满意', dissatisfied: '不满意' };

/** Who an overdue limit is escalated to. */
export const ESCALATION_TARGET_NAMES: Record<EscalationTarget, string> = {
  department_lead: '部门负责人',
  street_dispatcher: '街道调度员',
  street_leadership: '街道领导',
  district_leadership: '区领导',
};

/** A timeline step, as the command centre lists it. */
export const TIMELINE_EVENT_NAMES: Record<TimelineEventType, string> = {
  created: '上报', whistled: '吹哨派单', accepted: '接哨报到', returned: '退回', feedback: '办理反馈', verified: '核实',
  reopened: '重新办理', rated: '满意度评价', whistle_rated: '吹哨评价', department_rated: '街道评价部门', extension_requested: '申请延期', extension_decided: '延期审批',
  escalated_to_street: '上报街道', merged: '合并为重复件', duplicate_merged_in: '并入重复件', cancelled: '撤销',
  reassigned: '改派', hard_case_marked: '列为疑难件', hard_case_resolved: '解除疑难件', reporter_released: '公开反映人信息',
  escalated_to_district: '提请区级督办', deadline_reminder: '催办', deadline_escalation: '督办',
};

/** An organisation role (and the actor roles of the timeline), as the command centre shows it. */
export const ROLE_NAMES: Record<string, string> = {
  admin: '管理员', district_leader: '区领导', street_leader: '街道领导', dispatcher: '街道调度员', dept_lead: '部门负责人', dept_member: '部门工作人员',
  grid: '网格员', reporter: '反映人', leader: '领导', system: '系统',
};
