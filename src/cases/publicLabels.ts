import type { CaseState, Satisfaction } from './types';

/** A case's state as told to the public and to outside platforms (the hotline, Open311 clients). */
export const PUBLIC_STATE_NAMES: Record<CaseState, string> = {
  triage: '待街道分派',
  community: '社区办理中',
  whistled: '已吹哨，待部门报到',
  in_progress: '部门办理中',
  awaiting_verification: '已办理，待核实',
  closed: '已办结',
  cancelled: '已撤销',
  merged: '已并入其他案件办理',
};

export const SATISFACTION_NAMES: Record<Satisfaction, string> = { satisfied: '满意', basically: '基本满意', dissatisfied: '不满意' };
