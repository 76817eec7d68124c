/** WeChat Work errcodes that mean "this access_token is no longer accepted": refresh and retry once. */
export const TOKEN_REJECTED_ERRCODES: ReadonlySet<number> = new Set([40014, 42001, 42009]);

/** Frequency limits (45009 api freq out of limit, 45033 too many concurrent calls): wait, then send again. */
export const RATE_LIMIT_ERRCODES: ReadonlySet<number> = new Set([45009, 45033]);

/** -1 is "system busy": WeChat Work asks callers to retry a few times. */
export const BUSY_ERRCODES: ReadonlySet<number> = new Set([-1]);

/** A WeChat Work API call answered with a non-zero errcode. */
export class WecomApiError extends Error {
  constructor(
    readonly path: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat Work ${path} failed: errcode ${errcode} (${errmsg}). Look the code up in the WeChat Work global error code table.`);
    this.name = 'WecomApiError';
  }
}

/** The access token was rejected even after one refresh: the corp id / secret or the app's IP allow-list is wrong. */
export class WecomTokenRejectedError extends WecomApiError {
  constructor(path: string, errcode: number, errmsg: string) {
    super(path, errcode, errmsg);
    this.name = 'WecomTokenRejectedError';
    this.message = `WeChat Work rejected a freshly issued access token on ${path} (errcode ${errcode}: ${errmsg}). Check WECOM_CORP_ID / WECOM_SECRET and the app's trusted IP list.`;
  }
}

/** WeChat Work throttled us (45009/45033): back off and try again later. */
export class WecomRateLimitError extends WecomApiError {
  constructor(path: string, errcode: number, errmsg: string) {
    super(path, errcode, errmsg);
    this.name = 'WecomRateLimitError';
    this.message = `WeChat Work rate limit on ${path} (errcode ${errcode}: ${errmsg}); retry after a pause and lower WECOM_SEND_RATE_PER_MINUTE if it keeps happening.`;
  }
}

/** The HTTP exchange itself failed: non-2xx status or a body that is not WeChat Work JSON. */
export class WecomHttpError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    detail: string,
  ) {
    super(`WeChat Work ${path} answered HTTP ${status}: ${detail}. This is usually transient; retry later.`);
    this.name = 'WecomHttpError';
  }
}

/** No answer within the client's timeout (or the connection broke). The request may or may not have been processed. */
export class WecomNetworkError extends Error {
  constructor(
    readonly path: string,
    readonly timedOut: boolean,
    cause: unknown,
  ) {
    super(`WeChat Work ${path} ${timedOut ? 'timed out' : 'could not be reached'}: ${typeof cause === 'object' && cause !== null && 'message' in cause ? String(cause.message) : String(cause)}. Check WECOM_API_BASE and the network; retry later.`, { cause });
    this.name = 'WecomNetworkError';
  }
}

/** The client cannot call WeChat Work at all because configuration is missing. */
export class WecomNotConfiguredError extends Error {
  constructor(missing: string[]) {
    super(`WeChat Work API client is missing ${missing.join(', ')}; set them (or run in sandbox mode against the fake server).`);
    this.name = 'WecomNotConfiguredError';
  }
}

/** Builds the most specific error class for a non-zero errcode. */
export function wecomErrorFor(path: string, errcode: number, errmsg: string): WecomApiError {
  if (RATE_LIMIT_ERRCODES.has(errcode)) return new WecomRateLimitError(path, errcode, errmsg);
  return new WecomApiError(path, errcode, errmsg);
}

/** True when sending again later may succeed; false when the request itself is wrong and retrying is pointless. */
export function isTransientWecomError(error: unknown): boolean {
  if (error instanceof WecomRateLimitError) return true;
  if (error instanceof WecomTokenRejectedError) return false;
  if (error instanceof WecomApiError) return BUSY_ERRCODES.has(error.errcode) || TOKEN_REJECTED_ERRCODES.has(error.errcode);
  return error instanceof WecomHttpError || error instanceof WecomNetworkError;
}
