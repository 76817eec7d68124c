import { catalogueError, HttpError, type ErrorCatalogue } from '../errors';

/**
 * Every error the hotline API answers besides the bearer-token ones (`missing_token`,
 * `invalid_token`, `hotline_token_not_configured`, 401): HTTP status and a Chinese message an
 * operator can read. Codes are stable; docs/hotline-api.md lists them.
 */
export const HOTLINE_ERRORS = {
  invalid_request: { status: 400, message: '工单内容有误，请检查后重试' },
  unknown_street: { status: 400, message: '街道不存在' },
  unknown_community: { status: 400, message: '社区不存在或不属于该街道' },
  unknown_platform: { status: 400, message: '平台未配置（HOTLINE_WEBHOOKS_CONFIG），无法推送办理进度' },
  order_not_found: { status: 404, message: '未找到该工单' },
  order_conflict: { status: 409, message: '该工单号已用不同的内容提交过，工单内容不能修改' },
  order_in_progress: { status: 409, message: '该工单正在受理，请稍后重试' },
  payload_too_large: { status: 413, message: '请求体太大' },
  unsupported_media_type: { status: 415, message: '请以 application/json 格式提交' },
} as const satisfies ErrorCatalogue;

export type HotlineErrorCode = keyof typeof HOTLINE_ERRORS;

export function hotlineError(code: HotlineErrorCode, options: Parameters<typeof catalogueError>[2] = {}): HttpError {
  return catalogueError(HOTLINE_ERRORS, code, options);
}
