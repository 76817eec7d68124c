import { WechatMpApiError, WechatMpTransportError } from './errors';

export type MpEnvelope = { errcode?: number; errmsg?: string } & Record<string, unknown>;

export function mpUrl(base: string, path: string, query: Record<string, string>): URL {
  const url = new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

/** One JSON exchange with WeChat: transport problems and non-JSON answers become WechatMpTransportError. */
export async function callMp(url: URL, path: string, init: RequestInit, timeoutMs: number): Promise<MpEnvelope> {
  let text: string;
  let status: number;
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    status = response.status;
    text = await response.text();
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new WechatMpTransportError(path, timedOut ? 'timed out' : `could not be reached (${(error as Error).message})`, { cause: error });
  }
  if (status < 200 || status >= 300) throw new WechatMpTransportError(path, `answered HTTP ${status}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WechatMpTransportError(path, 'answered something that is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new WechatMpTransportError(path, 'answered JSON that is not an object');
  return parsed as MpEnvelope;
}

/** Throws the errcode as a WechatMpApiError; returns the envelope when errcode is 0 or absent. */
export function checked(envelope: MpEnvelope, path: string): MpEnvelope {
  const errcode = typeof envelope.errcode === 'number' ? envelope.errcode : 0;
  if (errcode !== 0) throw new WechatMpApiError(path, errcode, typeof envelope.errmsg === 'string' ? envelope.errmsg : '');
  return envelope;
}
