import { z } from 'zod';
import type { MpConfig } from '../../config/mp';
import { MP_ERRORS, type MpErrorCode } from './errors';
import { allResponseSchemas, requestSchemas, type RequestSchemas, type ResponseSchemas } from './schemas';

type JsonSchema = Record<string, unknown>;
type HttpMethod = 'get' | 'post' | 'delete';

/** One route as the document describes it. Tests check this table against the routers, both ways. */
export interface OperationSpec {
  method: HttpMethod;
  /** OpenAPI path template, e.g. /api/mp/cases/{id}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  auth: boolean;
  query?: keyof RequestSchemas;
  /** A JSON body; `alsoMultipart` when the same fields may come as multipart/form-data with photos; `photoOnly` for one file. */
  body?: { schema: keyof RequestSchemas; alsoMultipart?: boolean } | { photoOnly: true };
  success: { status: number; description: string; schema?: keyof ResponseSchemas; binary?: boolean };
  /** Another success answer, e.g. 200 for a replayed idempotent request. */
  alsoSuccess?: { status: number; description: string; schema: keyof ResponseSchemas };
  headers?: { name: string; description: string }[];
  errors: MpErrorCode[];
}

const AUTH_ERRORS: MpErrorCode[] = ['unauthenticated', 'rate_limited'];
const PHOTO_ERRORS: MpErrorCode[] = [
  'too_many_photos', 'photo_too_large', 'photo_too_many_pixels', 'unsupported_photo_type', 'invalid_photo', 'unsupported_media_type', 'photo_budget_exceeded', 'photo_queue_busy',
];
/** Refusals answered with a Retry-After header. */
const RETRY_LATER: MpErrorCode[] = ['rate_limited', 'photo_budget_exceeded', 'photo_queue_busy'];

export const OPERATIONS: OperationSpec[] = [
  {
    method: 'get', path: '/api/mp/openapi.json', operationId: 'getOpenApi', summary: '本接口文档（OpenAPI 3.1）', auth: false,
    success: { status: 200, description: 'OpenAPI 文档' }, errors: [],
  },
  {
    method: 'get', path: '/api/mp/config', operationId: 'getConfig', summary: '前端启动配置：类别、照片限制、订阅模板、社区', auth: false,
    success: { status: 200, description: '配置', schema: 'config' }, errors: ['rate_limited'],
  },
  {
    method: 'post', path: '/api/mp/session', operationId: 'login', summary: '登录：用 wx.login 的 code 换取会话令牌', auth: false,
    description: '服务端调用微信 jscode2session 换取 openid；openid 与 session_key 永远不会返回给前端。',
    body: { schema: 'login' },
    success: { status: 201, description: '登录成功', schema: 'session' },
    errors: ['invalid_request', 'invalid_login_code', 'rate_limited', 'wechat_unavailable', 'not_configured'],
  },
  {
    method: 'delete', path: '/api/mp/session', operationId: 'logout', summary: '退出登录：令牌立即失效', auth: true,
    success: { status: 204, description: '已退出' }, errors: AUTH_ERRORS,
  },
  {
    method: 'post', path: '/api/mp/cases/preview', operationId: 'previewReport', summary: '识别问题描述的类别与紧急程度（供居民确认或更正）', auth: true,
    body: { schema: 'preview' },
    success: { status: 200, description: '识别结果', schema: 'preview' }, errors: ['invalid_request', ...AUTH_ERRORS],
  },
  {
    method: 'post', path: '/api/mp/photos', operationId: 'uploadPhoto', summary: '单独上传一张照片（适配 wx.uploadFile），得到 photoId', auth: true,
    description: 'multipart/form-data，文件字段名 photos。类型按文件内容识别（JPG/PNG/WebP），EXIF 等元数据会被去除。',
    body: { photoOnly: true },
    success: { status: 201, description: '已上传', schema: 'photo' }, errors: [...PHOTO_ERRORS, 'invalid_request', ...AUTH_ERRORS],
  },
  {
    method: 'post', path: '/api/mp/cases', operationId: 'submitReport', summary: '提交诉求（文字、照片、位置、联系电话）', auth: true,
    description: 'application/json（照片先用 /api/mp/photos 上传，再放 photoIds），或 multipart/form-data（照片直接放在 photos 字段，可多张）。',
    body: { schema: 'report', alsoMultipart: true },
    headers: [{ name: 'Idempotency-Key', description: '可选。8–64 位字母、数字、- 或 _；网络重试时带上同一个值，不会重复建案（24 小时内有效）' }],
    success: { status: 201, description: '已受理，返回诉求详情', schema: 'caseDetail' },
    alsoSuccess: { status: 200, description: '同一 Idempotency-Key 的重复提交：返回第一次建立的诉求（响应头 Idempotent-Replayed: true）', schema: 'caseDetail' },
    errors: ['invalid_request', ...PHOTO_ERRORS, 'payload_too_large', 'conflict', ...AUTH_ERRORS],
  },
  {
    method: 'get', path: '/api/mp/cases', operationId: 'listCases', summary: '我的诉求（分页，最新在前）', auth: true, query: 'listQuery',
    success: { status: 200, description: '一页诉求', schema: 'caseList' }, errors: ['invalid_request', ...AUTH_ERRORS],
  },
  {
    method: 'get', path: '/api/mp/cases/{id}', operationId: 'getCase', summary: '诉求详情与办理进度', auth: true,
    success: { status: 200, description: '诉求详情', schema: 'caseDetail' }, errors: ['case_not_found', ...AUTH_ERRORS],
  },
  {
    method: 'post', path: '/api/mp/cases/{id}/rating', operationId: 'rateCase', summary: '评价已办结的诉求（只能评价一次）', auth: true,
    body: { schema: 'rating' },
    success: { status: 201, description: '评价已记录', schema: 'rating' },
    errors: ['invalid_request', 'case_not_found', 'not_closed', 'already_rated', 'conflict', ...AUTH_ERRORS],
  },
  {
    method: 'post', path: '/api/mp/cases/{id}/subscriptions', operationId: 'addSubscriptions', summary: '登记居民新授权的订阅消息', auth: true,
    body: { schema: 'subscriptions' },
    success: { status: 200, description: '之后会收到通知的节点', schema: 'subscriptionsResult' },
    errors: ['invalid_request', 'case_not_found', ...AUTH_ERRORS],
  },
  {
    method: 'get', path: '/api/mp/media/{key}', operationId: 'getPhoto', summary: '照片（带签名的限时链接，可直接用于 <image src>）', auth: false,
    success: { status: 200, description: '图片内容', binary: true }, errors: ['not_found'],
  },
];

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of a zod schema, as a request reads it or a response is written. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
export const requestComponent = (name: keyof RequestSchemas) => `${pascal(name)}Request`;
export const multipartComponent = (name: keyof RequestSchemas) => `${requestComponent(name)}Multipart`;
export const responseComponent = (name: keyof ResponseSchemas) => pascal(name);
const ref = (component: string) => ({ $ref: `#/components/schemas/${component}` });

function multipartSchema(base: JsonSchema, maxCount: number): JsonSchema {
  const properties = (base.properties ?? {}) as Record<string, JsonSchema>;
  return {
    ...base,
    properties: {
      ...properties,
      photos: { type: 'array', maxItems: maxCount, items: { type: 'string', format: 'binary' }, description: '照片文件（JPG/PNG/WebP），字段名 photos，可重复' },
    },
  };
}

function errorResponses(codes: MpErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, MpErrorCode[]>();
  for (const code of codes) byStatus.set(MP_ERRORS[code].status, [...(byStatus.get(MP_ERRORS[code].status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus.entries()].map(([status, list]) => [
      String(status),
      {
        description: list.map((code) => `\`${code}\`：${MP_ERRORS[code].message}`).join('；'),
        content: { 'application/json': { schema: ref('Error') } },
        ...(list.some((code) => RETRY_LATER.includes(code)) ? { headers: { 'Retry-After': { description: '多少秒后可以重试', schema: { type: 'integer' } } } } : {}),
      },
    ]),
  );
}

function queryParameters(schema: JsonSchema): unknown[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name) && property.default === undefined,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

function pathParameters(path: string): unknown[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
}

function operationObject(op: OperationSpec, requests: RequestSchemas): Record<string, unknown> {
  const parameters = [
    ...pathParameters(op.path),
    ...(op.query ? queryParameters(jsonSchemaOf(requests[op.query], 'input')) : []),
    ...(op.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: false, description: h.description, schema: { type: 'string' } })),
  ];
  const success = op.success.schema
    ? { content: { 'application/json': { schema: ref(responseComponent(op.success.schema)) } } }
    : op.success.binary
      ? { content: { 'image/*': { schema: { type: 'string', format: 'binary' } } } }
      : {};
  let requestBody: Record<string, unknown> | undefined;
  if (op.body && 'photoOnly' in op.body) {
    requestBody = { required: true, content: { 'multipart/form-data': { schema: multipartSchema({ type: 'object', properties: {}, required: ['photos'] }, 1) } } };
  } else if (op.body) {
    const content: Record<string, unknown> = { 'application/json': { schema: ref(requestComponent(op.body.schema)) } };
    if (op.body.alsoMultipart) content['multipart/form-data'] = { schema: ref(multipartComponent(op.body.schema)) };
    requestBody = { required: true, content };
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: ['mini-program'],
    security: op.auth ? [{ bearerAuth: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [String(op.success.status)]: { description: op.success.description, ...success },
      ...(op.alsoSuccess
        ? { [String(op.alsoSuccess.status)]: { description: op.alsoSuccess.description, content: { 'application/json': { schema: ref(responseComponent(op.alsoSuccess.schema)) } } } }
        : {}),
      ...errorResponses(op.errors),
    },
  };
}

/** The whole OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(config: MpConfig): Record<string, unknown> {
  const requests = requestSchemas(config);
  const schemas: Record<string, JsonSchema> = {};
  for (const name of Object.keys(requests) as (keyof RequestSchemas)[]) {
    if (name === 'listQuery') continue;
    schemas[requestComponent(name)] = jsonSchemaOf(requests[name], 'input');
  }
  schemas[multipartComponent('report')] = multipartSchema(jsonSchemaOf(requests.report, 'input'), config.photos.maxCount);
  for (const name of Object.keys(allResponseSchemas) as (keyof ResponseSchemas)[]) schemas[responseComponent(name)] = jsonSchemaOf(allResponseSchemas[name], 'output');

  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) paths[op.path] = { ...paths[op.path], [op.method]: operationObject(op, requests) };

  return {
    openapi: '3.1.0',
    info: {
      title: 'whistlebot 居民小程序接口',
      version: '1.0.0',
      description: '居民通过小程序反映问题、查看进度并评价。除照片链接外，所有接口返回 JSON；错误统一为 {"error":{"code","message"}}，message 可直接展示。',
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'mini-program', description: '居民小程序' }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'POST /api/mp/session 返回的 token' } },
      schemas,
    },
  };
}
