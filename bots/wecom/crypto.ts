import { createDecipheriv, timingSafeEqual } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';
import { rejectBadRequest } from './callbackErrors';

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SHA1_HEX = /^[0-9a-f]{40}$/i;
/** WeChat Work pads the plaintext with PKCS#7 to 32-byte blocks (not AES's 16). */
const PAD_BLOCK = 32;
const RANDOM_BYTES = 16;
const LENGTH_BYTES = 4;

export interface DecryptedCallback {
  message: string;
  receiveId: string;
}

interface AesKey {
  key: Buffer;
  iv: Buffer;
}

const keyCache = new Map<string, AesKey>();

function aesKey(encodingAesKey: string): AesKey {
  let cached = keyCache.get(encodingAesKey);
  if (!cached) {
    const key = Buffer.from(`${encodingAesKey}=`, 'base64');
    if (key.length !== 32) throw new Error('WECOM_ENCODING_AES_KEY must be the 43-character key from the admin console');
    cached = { key, iv: key.subarray(0, 16) };
    keyCache.set(encodingAesKey, cached);
  }
  return cached;
}

/** sha1 over token, timestamp, nonce and ciphertext, sorted: the `msg_signature` WeChat Work sends. */
export function signCallback(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return getSignature(token, timestamp, nonce, encrypted);
}

/** Constant-time check of `msg_signature`; a malformed signature is simply wrong. */
export function signatureMatches(token: string, timestamp: string, nonce: string, encrypted: string, signature: string): boolean {
  if (!SHA1_HEX.test(signature)) return false;
  const expected = Buffer.from(signCallback(token, timestamp, nonce, encrypted), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

/** Encrypts a message the way WeChat Work does (used by the fake server and tests). */
export function encryptCallback(encodingAesKey: string, message: string, receiveId: string): string {
  return encrypt(encodingAesKey, message, receiveId);
}

/**
 * Decrypts a callback ciphertext. The package's `decrypt` silently accepts a wrong PKCS#7 pad and
 * a length field pointing past the end, so untrusted input is checked here byte by byte instead.
 */
export function decryptCallback(encodingAesKey: string, encrypted: string): DecryptedCallback {
  if (encrypted.length === 0 || !STRICT_BASE64.test(encrypted)) throw rejectBadRequest('bad_base64', 'ciphertext is not valid base64');
  const cipherBytes = Buffer.from(encrypted, 'base64');
  if (cipherBytes.length < PAD_BLOCK || cipherBytes.length % 16 !== 0) {
    throw rejectBadRequest('bad_base64', 'ciphertext length is not a whole number of AES blocks');
  }
  const { key, iv } = aesKey(encodingAesKey);
  const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(cipherBytes), decipher.final()]);
  const body = stripPadding(plain);
  if (body.length < RANDOM_BYTES + LENGTH_BYTES) throw rejectBadRequest('bad_plaintext', 'plaintext is too short');
  const length = body.readUInt32BE(RANDOM_BYTES);
  const messageEnd = RANDOM_BYTES + LENGTH_BYTES + length;
  if (messageEnd > body.length) throw rejectBadRequest('bad_plaintext', 'plaintext length field points past the end');
  return {
    message: body.subarray(RANDOM_BYTES + LENGTH_BYTES, messageEnd).toString('utf8'),
    receiveId: body.subarray(messageEnd).toString('utf8'),
  };
}

function stripPadding(plain: Buffer): Buffer {
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > PAD_BLOCK || pad > plain.length) throw rejectBadRequest('bad_padding', 'PKCS#7 padding is invalid');
  for (let i = plain.length - pad; i < plain.length; i += 1) {
    if (plain[i] !== pad) throw rejectBadRequest('bad_padding', 'PKCS#7 padding is invalid');
  }
  return plain.subarray(0, plain.length - pad);
}
