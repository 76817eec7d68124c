import { decrypt } from '@wecom/crypto';
import { OFFICIAL_VECTOR as VECTOR, rejectionReason as reasonOf } from './support/officialVector';
import { decryptCallback, encryptCallback, signCallback, signatureMatches } from '../../../bots/wecom/crypto';

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
