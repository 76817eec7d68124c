import { catalogueError, HttpError, RateLimitedError, RetryLaterError, type ErrorCatalogue } from '../errors';

/**
 * Every error the mini-program API answers, with its HTTP status and the Chinese message a front
 * end can show as is. Codes are stable; the OpenAPI document lists them from here.
 */
export const MP_ERRORS = {
  invalid_request: { status: 400, message: '提交的内容有误，请检查后重试' },
  invalid_login_code: { status: 400, message: '登录凭证无效或已使用，请重新登录' },
  too_many_photos: { status: 400, message: '照片数量超过上限' },
  invalid_photo: { status: 400, message: '照片无法识别，请重新拍摄或选择其他照片' },
  unauthenticated: { status: 401, message: '登录已失效，请重新登录' },
  not_found: { status: 404, message: '未找到相关内容' },
  case_not_found: { status: 404, message: '未找到该诉求，请确认编号' },
  not_closed: { status: 409, message: '诉求办结后才能评价' },
  already_rated: { status: 409, message: '该诉求已经评价过了' },
  conflict: { status: 409, message: '诉求正在被处理，请稍后重试' },
  photo_too_large: { status: 413, message: '照片太大，请压缩后再上传' },
  photo_too_many_pixels: { status: 413, message: '照片分辨率太高，请压缩后再上传' },
  payload_too_large: { status: 413, message: '提交的内容太大' },
  unsupported_photo_type: { status: 415, message: '只能上传 JPG、PNG 或 WebP 格式的照片' },
  unsupported_media_type: { status: 415, message: '请以 JSON 或 multipart/form-data 格式提交' },
  rate_limited: { status: 429, message: '操作太频繁，请稍后再试' },
  photo_budget_exceeded: { status: 429, message: '短时间内上传的照片太多，请稍后再试' },
  internal_error: { status: 500, message: '服务器内部错误，请稍后重试；如持续出现请联系管理员' },
  wechat_unavailable: { status: 503, message: '微信服务暂时不可用，请稍后再试' },
  not_configured: { status: 503, message: '小程序服务尚未开通，请联系管理员' },
  photo_queue_busy: { status: 503, message: '照片处理繁忙，请稍后重试' },
} as const satisfies ErrorCatalogue;

export type MpErrorCode = keyof typeof MP_ERRORS;
export const MP_ERROR_CODES = Object.keys(MP_ERRORS) as MpErrorCode[];

export function mpError(code: MpErrorCode, options: Parameters<typeof catalogueError>[2] = {}): HttpError {
  return catalogueError(MP_ERRORS, code, options);
}

export function mpRateLimited(retryAfterSeconds: number): RateLimitedError {
  return new RateLimitedError(retryAfterSeconds, `${MP_ERRORS.rate_limited.message}（约 ${retryAfterSeconds} 秒后可重试）`);
}

/** A catalogued refusal the resident may retry after a pause: answered with `Retry-After` and `details.retryAfterSeconds`. */
export function mpRetryLater(code: 'photo_budget_exceeded' | 'photo_queue_busy', retryAfterSeconds: number, details: Record<string, unknown> = {}): RetryLaterError {
  const entry = MP_ERRORS[code];
  return new RetryLaterError(entry.status, code, retryAfterSeconds, `${entry.message}（约 ${retryAfterSeconds} 秒后可重试）`, details);
}
