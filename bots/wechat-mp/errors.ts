/** errcodes meaning "this access_token is no longer accepted": refresh once and call again. */
export const MP_TOKEN_REJECTED_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);

/** Sending later may work: system busy (-1) and frequency limits (45009, 45011). */
export const MP_TRANSIENT_ERRCODES: ReadonlySet<number> = new Set([-1, 45009, 45011]);

/** jscode2session: the code is wrong (40029), already used (40163) or the user is blocked as high-risk (40226). */
export const MP_BAD_LOGIN_CODE_ERRCODES: ReadonlySet<number> = new Set([40029, 40163, 40226]);

/** The WeChat API answered with a non-zero errcode. */
export class WechatMpApiError extends Error {
  constructor(
    readonly path: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat mini-program API ${path} failed: errcode ${errcode} (${errmsg}). Look the code up in the WeChat global error code table.`);
    this.name = 'WechatMpApiError';
  }
}

/** Non-2xx status, a body that is not JSON, a timeout or a broken connection. */
export class WechatMpTransportError extends Error {
  constructor(
    readonly path: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`WeChat mini-program API ${path}: ${detail}. Usually transient; check MP_API_BASE and the network if it persists.`, options);
    this.name = 'WechatMpTransportError';
  }
}

export class WechatMpNotConfiguredError extends Error {
  constructor(missing: string[]) {
    super(`The WeChat mini-program client needs ${missing.join(' and ')}; set them from the mini-program admin console (开发管理 → 开发设置).`);
    this.name = 'WechatMpNotConfiguredError';
  }
}

/** True when the same call may succeed later; false when it can never succeed as it is. */
export function isTransientMpError(error: unknown): boolean {
  if (error instanceof WechatMpTransportError) return true;
  if (error instanceof WechatMpApiError) return MP_TRANSIENT_ERRCODES.has(error.errcode) || MP_TOKEN_REJECTED_ERRCODES.has(error.errcode);
  return false;
}
