import type { ParticipantKind } from './types';

export interface Quota {
  /** Count the activities taken part in (联盟单位每年至少报到 2 次) or the hours served (党员每年 6 小时). */
  measure: 'activities' | 'hours';
  required: number;
}

export type QuotaPolicy = Partial<Record<ParticipantKind, Quota>>;

export interface QuotaProgress {
  measure: Quota['measure'];
  done: number;
  required: number;
  met: boolean;
  /** 「今年已报到 1 次，共需 2 次」 */
  text: string;
}

export function quotaProgress(quota: Quota, figures: { activities: number; hours: number }): QuotaProgress {
  const done = quota.measure === 'activities' ? figures.activities : figures.hours;
  const met = done >= quota.required;
  const text =
    quota.measure === 'activities'
      ? `今年已报到 ${done} 次，共需 ${quota.required} 次${met ? '，已完成' : ''}`
      : `今年已服务 ${done} 小时，共需 ${quota.required} 小时${met ? '，已完成' : ''}`;
  return { measure: quota.measure, done, required: quota.required, met, text };
}

/** The last quarter (October to December, local time): when those behind are reminded. */
export function isLastQuarter(month: number): boolean {
  return month >= 10;
}
