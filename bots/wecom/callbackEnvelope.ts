import { CallbackRejected, rejectBadRequest } from './callbackErrors';
import { decryptCallback, signatureMatches } from './crypto';
import { assertNoDtd, hasDtd } from './xml';

export interface CallbackSecrets {
  token: string;
  encodingAesKey: string;
  corpId: string;
}

export interface SignedParams {
  signature: string;
  timestamp: string;
  nonce: string;
}

/** The three query parameters every callback carries; missing ones are refused. */
export function signedParams(query: Map<string, string>): SignedParams {
  const signature = query.get('msg_signature');
  const timestamp = query.get('timestamp');
  const nonce = query.get('nonce');
  if (!signature || !timestamp || !nonce) throw rejectBadRequest('missing_params', 'msg_signature, timestamp and nonce are required');
  return { signature, timestamp, nonce };
}

export function assertFresh(timestamp: string, nowMs: number, windowSeconds: number): void {
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!(Math.abs(nowMs / 1000 - seconds) <= windowSeconds)) {
    throw new CallbackRejected('stale_timestamp', 401, `timestamp is outside the ${windowSeconds}s window`);
  }
}

/** Verifies the signature over `encrypted`, decrypts it and checks it was meant for our corp. */
export function openSealed(secrets: CallbackSecrets, params: SignedParams, encrypted: string): string {
  if (!signatureMatches(secrets.token, params.timestamp, params.nonce, encrypted, params.signature)) {
    throw new CallbackRejected('bad_signature', 401, 'msg_signature does not match');
  }
  const { message, receiveId } = decryptCallback(secrets.encodingAesKey, encrypted);
  if (receiveId !== secrets.corpId) throw new CallbackRejected('foreign_receive_id', 403, 'callback was encrypted for another corp');
  return message;
}

// The envelope WeChat Work posts, in any order: plain or CDATA values with no markup inside.
const ENVELOPE = /^\s*(?:<\?xml[^<>?]*\?>\s*)?<xml>(?:\s*<(ToUserName|AgentID|Encrypt)>(?:<!\[CDATA\[[^\]<>&]*\]\]>|[^<>&]*)<\/\1>)*\s*<\/xml>\s*$/;
const ENCRYPT_FIELD = /<Encrypt>(?:<!\[CDATA\[([^\]<>&]*)\]\]>|([^<>&]*))<\/Encrypt>/g;

/**
 * The `<Encrypt>` field of a POSTed envelope `<xml><ToUserName/><AgentID/><Encrypt/></xml>`, found
 * by a strict pattern that runs in linear time. Anything else is refused here, before the signature
 * is checked and before any general XML parser sees a byte: unsigned junk costs microseconds.
 */
export function envelopeCiphertext(body: string): string {
  if (!ENVELOPE.test(body)) {
    if (hasDtd(body)) throw rejectBadRequest('dtd_forbidden', 'XML with a DOCTYPE or ENTITY declaration is refused');
    throw rejectBadRequest('not_xml', 'body is not a WeChat Work callback envelope <xml><ToUserName/><AgentID/><Encrypt/></xml>');
  }
  const fields = [...body.matchAll(ENCRYPT_FIELD)];
  if (fields.length > 1) throw rejectBadRequest('not_xml', 'callback envelope has more than one <Encrypt>');
  const encrypted = (fields[0]?.[1] ?? fields[0]?.[2] ?? '').trim();
  if (!encrypted) throw rejectBadRequest('missing_encrypt', 'callback XML has no <Encrypt>');
  return encrypted;
}

/** Opens a POSTed callback: signature first, then the decrypted inner XML, checked for DTDs. */
export function openCallbackBody(secrets: CallbackSecrets, params: SignedParams, body: string): string {
  const inner = openSealed(secrets, params, envelopeCiphertext(body));
  assertNoDtd(inner);
  return inner;
}
