import { decrypt } from '@wecom/crypto';
import { CallbackRejected } from '../../../bots/wecom/callbackErrors';
import { decryptCallback, encryptCallback, signCallback, signatureMatches } from '../../../bots/wecom/crypto';

// The official WXBizMsgCrypt sample (see /work/shared/wecom-test-vector.md).
const VECTOR = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
  signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  plain: '1616140317555161061',
};

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof CallbackRejected ? error.reason : `unexpected ${String(error)}`;
  }
}

describe('WeCom callback crypto', () => {
  test('official vector: signature and decrypted echostr', () => {
    expect(signCallback(VECTOR.token, VECTOR.timestamp, VECTOR.nonce, VECTOR.echostr)).toBe(VECTOR.signature);
    expect(signatureMatches(VECTOR.token, VECTOR.timestamp, VECTOR.nonce, VECTOR.echostr, VECTOR.signature)).toBe(true);
    expect(decryptCallback(VECTOR.encodingAesKey, VECTOR.echostr)).toEqual({ message: VECTOR.plain, receiveId: VECTOR.corpId });
  });

  test('agrees with @wecom/crypto decrypt on a round trip with Chinese text', () => {
    const message = '<xml><Content><![CDATA[路灯坏了，请尽快处理]]></Content></xml>';
    const encrypted = encryptCallback(VECTOR.encodingAesKey, message, VECTOR.corpId);
    expect(decryptCallback(VECTOR.encodingAesKey, encrypted)).toEqual({ message, receiveId: VECTOR.corpId });
    expect(decrypt(VECTOR.encodingAesKey, encrypted).message).toBe(message);
  });

  test('a wrong or malformed signature does not match', () => {
    const wrong = `${VECTOR.signature.slice(0, -1)}0`;
    expect(signatureMatches(VECTOR.token, VECTOR.timestamp, VECTOR.nonce, VECTOR.echostr, wrong)).toBe(false);
    expect(signatureMatches(VECTOR.token, VECTOR.timestamp, VECTOR.nonce, VECTOR.echostr, 'zz')).toBe(false);
    expect(signatureMatches(VECTOR.token, VECTOR.timestamp, VECTOR.nonce, VECTOR.echostr, VECTOR.signature.toUpperCase())).toBe(true);
  });

  test('a + turned into a space is invalid base64, not a different message', () => {
    expect(reasonOf(() => decryptCallback(VECTOR.encodingAesKey, VECTOR.echostr.replaceAll('+', ' ')))).toBe('bad_base64');
  });

  test.each([
    ['not base64 at all', '!!!!'],
    ['bad padding characters', 'abc=def='],
    ['too short', 'AAAA'],
    ['not a whole AES block', Buffer.alloc(40).toString('base64')],
    ['empty', ''],
  ])('invalid base64 (%s) is refused', (_label, ciphertext) => {
    expect(reasonOf(() => decryptCallback(VECTOR.encodingAesKey, ciphertext))).toBe('bad_base64');
  });

  test('a ciphertext from another key fails the PKCS#7 check', () => {
    const foreign = encryptCallback('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', 'hello', VECTOR.corpId);
    expect(['bad_padding', 'bad_plaintext']).toContain(reasonOf(() => decryptCallback(VECTOR.encodingAesKey, foreign)));
  });

  test('tampering with the last block breaks the padding', () => {
    const bytes = Buffer.from(VECTOR.echostr, 'base64');
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0xff;
    expect(reasonOf(() => decryptCallback(VECTOR.encodingAesKey, bytes.toString('base64')))).toBe('bad_padding');
  });
});
