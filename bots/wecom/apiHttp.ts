import { WecomHttpError, WecomNetworkError } from './apiErrors';

/** Every WeChat Work JSON answer carries errcode/errmsg; the rest depends on the endpoint. */
export interface WecomEnvelope {
  errcode?: number;
  errmsg?: string;
  [field: string]: unknown;
}

/** Not `instanceof Error`: fetch's DOMExceptions can come from another realm (e.g. under jest). */
function isTimeout(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : undefined;
  return name === 'TimeoutError' || name === 'AbortError';
}

export type QueryParams = Record<string, string | number | undefined>;

export function buildUrl(base: string, path: string, query: QueryParams): URL {
  const url = new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url;
}

/** fetch with a hard timeout; network failures and timeouts become WecomNetworkError. */
export async function fetchWithTimeout(url: URL, init: RequestInit, path: string, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new WecomNetworkError(path, isTimeout(error), error);
  }
}

async function readBody(response: Response, path: string): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    throw new WecomNetworkError(path, isTimeout(error), error);
  }
}

/** Reads a WeChat Work JSON answer; anything that is not a 2xx JSON object is a WecomHttpError. */
export async function readEnvelope(response: Response, path: string): Promise<WecomEnvelope> {
  const text = await readBody(response, path);
  if (!response.ok) throw new WecomHttpError(path, response.status, text.slice(0, 200) || response.statusText);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WecomHttpError(path, response.status, `expected JSON, got ${JSON.stringify(text.slice(0, 100))}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new WecomHttpError(path, response.status, 'expected a JSON object');
  }
  return parsed as WecomEnvelope;
}
