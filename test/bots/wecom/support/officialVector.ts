import { CallbackRejected } from '../../../../bots/wecom/callbackErrors';

/** The official WXBizMsgCrypt sample (see /work/shared/wecom-test-vector.md). */
export const OFFICIAL_VECTOR = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
  signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  plain: '1616140317555161061',
};

/** The rejection reason `fn` throws, undefined when it passes, or "unexpected …" for any other error. */
export function rejectionReason(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof CallbackRejected ? error.reason : `unexpected ${String(error)}`;
  }
}
