/** Prefix of every lifecycle card's event keys: the inbound dispatcher routes `onAction(KEY_PREFIX)` here. */
export const KEY_PREFIX = 'lc_';

/** Event keys of the lifecycle's card buttons and submit buttons (unique within a card). */
export const KEY = {
  accept: 'lc_accept',
  return: 'lc_return',
  returnSubmit: 'lc_return_submit',
  triageSubmit: 'lc_triage_submit',
  communityAccept: 'lc_community_accept',
  escalate: 'lc_escalate',
  verifySolved: 'lc_verify_solved',
  verifyUnsolved: 'lc_verify_unsolved',
  unsolvedSubmit: 'lc_unsolved_submit',
  rateSatisfied: 'lc_rate_satisfied',
  rateBasically: 'lc_rate_basically',
  rateDissatisfied: 'lc_rate_dissatisfied',
  whistleReasonable: 'lc_whistle_reasonable',
  whistleUnreasonable: 'lc_whistle_unreasonable',
  extensionApprove: 'lc_extension_approve',
  extensionRefuse: 'lc_extension_refuse',
} as const;

export const QUESTION = { reason: 'reason', lead: 'lead', assist: 'assist' } as const;
export const NO_DEPARTMENT = 'none';
/** The reason option that asks the person to type the reason instead. */
export const TYPED_REASON = 'typed';

export interface ReasonOption {
  id: string;
  text: string;
}

export const RETURN_REASONS: readonly ReasonOption[] = [
  { id: 'not_our_duty', text: '不属于本部门职责' },
  { id: 'outside_area', text: '不在本部门管辖范围' },
  { id: 'info_missing', text: '信息不全，无法处置' },
  { id: 'handled_elsewhere', text: '已由其他部门处理' },
  { id: TYPED_REASON, text: '其他原因（回复文字说明）' },
];

export const UNSOLVED_REASONS: readonly ReasonOption[] = [
  { id: 'still_there', text: '问题依旧存在' },
  { id: 'partly', text: '只处理了一部分' },
  { id: 'came_back', text: '处理后问题又出现' },
  { id: 'mismatch', text: '处理结果与反映情况不符' },
];

export function reasonText(options: readonly ReasonOption[], id: string | undefined): string | undefined {
  return options.find((o) => o.id === id)?.text;
}
