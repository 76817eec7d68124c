/**
 * Named HTTP errors: thrown anywhere in a request, turned into a JSON answer by one middleware.
 * `code` is stable for clients; `message` is what a person reads (Chinese where users see it).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(400, 'invalid_request', message, details);
  }
}

export class AuthenticationError extends HttpError {
  constructor(message = '登录已失效，请重新登录', code = 'unauthenticated') {
    super(401, code, message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = '没有权限', code = 'forbidden') {
    super(403, code, message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = '未找到', code = 'not_found') {
    super(404, code, message);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(message = '内容太大', code = 'payload_too_large') {
    super(413, code, message);
  }
}

/** A refusal the client may retry after `retryAfterSeconds` (answered with a `Retry-After` header). */
export class RetryLaterError extends HttpError {
  constructor(
    status: number,
    code: string,
    readonly retryAfterSeconds: number,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(status, code, message, { ...details, retryAfterSeconds });
  }
}

export class RateLimitedError extends RetryLaterError {
  constructor(retryAfterSeconds: number, message = '操作太频繁，请稍后再试') {
    super(429, 'rate_limited', retryAfterSeconds, message);
  }
}

/** An API's error catalogue: stable code → HTTP status and the Chinese message a client can show. */
export type ErrorCatalogue = Record<string, { status: number; message: string }>;

/** A catalogued error; `message` overrides the catalogue text when a more precise sentence helps. */
export function catalogueError<C extends ErrorCatalogue>(
  catalogue: C,
  code: keyof C & string,
  options: { message?: string; details?: Record<string, unknown> } = {},
): HttpError {
  const entry = catalogue[code];
  if (!entry) throw new Error(`no catalogued error ${code}`);
  return new HttpError(entry.status, code, options.message ?? entry.message, options.details);
}
