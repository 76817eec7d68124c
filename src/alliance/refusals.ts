/**
 * Every "no" of the alliance rules, with the sentence the person reads. The code is stable for
 * clients; the message says what happened and what to do next.
 */
export type AllianceRefusalCode =
  | 'not_targeted'
  | 'already_signed_up'
  | 'started'
  | 'full'
  | 'not_signed_up'
  | 'not_seated'
  | 'not_confirmed'
  | 'already_confirmed'
  | 'already_checked_in'
  | 'too_early'
  | 'ended'
  | 'too_far'
  | 'qr_other_activity'
  | 'qr_expired'
  | 'qr_invalid'
  | 'not_checked_in'
  | 'already_checked_out'
  | 'checkout_closed'
  | 'insufficient_points'
  | 'withdrawn'
  | 'cancelled'
  | 'not_organiser'
  | 'invalid_activity'
  | 'not_found';

export interface AllianceRefusal {
  ok: false;
  code: AllianceRefusalCode;
  message: string;
}

export function refuse(code: AllianceRefusalCode, message: string): AllianceRefusal {
  return { ok: false, code, message };
}

export type Decision = { ok: true } | AllianceRefusal;

export const ALLOWED: Decision = { ok: true };
