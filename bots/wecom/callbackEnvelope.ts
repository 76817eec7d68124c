import { CallbackRejected, rejectBadRequest } from './callbackErrors';
import { decryptCallback, signatureMatches } from './crypto';
import { assertNoDtd, parseCallbackXml, xmlText } from './xml';

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
const PLAIN_ENVELOPE = /^\s*<xml>(?:\s*<(ToUserName|AgentID|Encrypt)>(?:<!\[CDATA\[[^\]<>&]*\]\]>|[^<>&]*)<\/\1>)+\s*<\/xml>\s*$/;
const ENCRYPT_FIELD = /<Encrypt>(?:<!\[CDATA\[([^\]<>&]*)\]\]>|([^<>&]*))<\/Encrypt>/g;

/**
 * The `<Encrypt>` field of a POSTed envelope `<xml><ToUserName/><AgentID/><Encrypt/></xml>`.
 * The usual shape is matched by a strict pattern (a third of the gateway's CPU went to parsing
 * it); anything else goes through the full parser and its checks.
 */
export function envelopeCiphertext(body: string): string {
  if (PLAIN_ENVELOPE.test(body)) {
    const fields = [...body.matchAll(ENCRYPT_FIELD)];
    const only = fields.length === 1 ? fields[0] : undefined;
    const encrypted = only?.[1] ?? only?.[2];
    if (encrypted) return encrypted.trim();
  }
  const encrypted = xmlText(parseCallbackXml(body), 'Encrypt');
  if (!encrypted) throw rejectBadRequest('missing_encrypt', 'callback XML has no <Encrypt>');
  return encrypted;
}

/** Opens a POSTed callback: the decrypted inner XML, already checked for DTDs. */
export function openCallbackBody(secrets: CallbackSecrets, params: SignedParams, body: string): string {
  assertNoDtd(body);
  const inner = openSealed(secrets, params, envelopeCiphertext(body));
  assertNoDtd(inner);
  return inner;
}
