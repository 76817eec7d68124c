/**
 * Why an inbound callback was refused. Stable codes: alerts and dashboards match on them.
 * Every one of them means "WeChat Work (or whoever called) sent something we will not act on".
 */
export type CallbackRejectReason =
  | 'missing_params'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'body_too_large'
  | 'body_unreadable'
  | 'dtd_forbidden'
  | 'not_xml'
  | 'missing_encrypt'
  | 'bad_base64'
  | 'bad_padding'
  | 'bad_plaintext'
  | 'foreign_receive_id'
  | 'bad_message';

/** A callback we refuse with a 4xx; `reason` goes into one structured log line, never the body's secrets. */
export class CallbackRejected extends Error {
  constructor(
    readonly reason: CallbackRejectReason,
    readonly status: 400 | 401 | 403 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'CallbackRejected';
  }
}

export const rejectBadRequest = (reason: CallbackRejectReason, message: string): CallbackRejected =>
  new CallbackRejected(reason, 400, message);
