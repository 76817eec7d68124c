import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import type { Context } from 'koa';
import multer, { MulterError } from 'multer';
import getRawBody from 'raw-body';
import { assertDeclaredLengthWithin } from '../../infra/declaredLength';
import { mpError } from './errors';

export interface UploadedFile {
  field: string;
  data: Buffer;
}

/** A request body as fields (strings, or string lists for repeated fields) plus any uploaded files. */
export interface RequestForm {
  fields: Record<string, unknown>;
  files: UploadedFile[];
}

export interface FormLimits {
  maxFiles: number;
  maxFileBytes: number;
  /** JSON bodies and each multipart text field. */
  maxFieldBytes: number;
  fileField: string;
}

const JSON_LIMIT_BYTES = 64 * 1024;
const MAX_FORM_FIELDS = 40;
/** Part headers and boundaries around the files and fields of one form. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

type MulterRequest = IncomingMessage & { files?: Express.Multer.File[]; body?: Record<string, unknown> };

function multerProblem(error: MulterError, limits: FormLimits): Error {
  switch (error.code) {
    case 'LIMIT_FILE_SIZE':
      return mpError('photo_too_large', {
        message: `每张照片不能超过 ${Math.floor(limits.maxFileBytes / 1024 / 1024) || 1} MB，请压缩后再上传`,
        details: { maxBytes: limits.maxFileBytes },
      });
    case 'LIMIT_FILE_COUNT':
      return mpError('too_many_photos', { message: `最多上传 ${limits.maxFiles} 张照片`, details: { maxCount: limits.maxFiles } });
    case 'LIMIT_UNEXPECTED_FILE':
      return mpError('invalid_request', { message: `照片请放在 ${limits.fileField} 字段中上传`, details: { field: error.field ?? null } });
    default:
      return mpError('payload_too_large', { details: { reason: error.code } });
  }
}

/** The most a form within the limits can weigh: a declared length above it is refused before reading. */
function multipartLimitBytes(limits: FormLimits): number {
  return limits.maxFiles * limits.maxFileBytes + MAX_FORM_FIELDS * limits.maxFieldBytes + MULTIPART_OVERHEAD_BYTES;
}

async function readMultipart(ctx: Context, limits: FormLimits): Promise<RequestForm> {
  assertDeclaredLengthWithin(ctx, multipartLimitBytes(limits), () => mpError('payload_too_large'));
  const handler = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: MAX_FORM_FIELDS, fieldSize: limits.maxFieldBytes, parts: limits.maxFiles + MAX_FORM_FIELDS },
  }).array(limits.fileField);
  const req = ctx.req as MulterRequest;
  await new Promise<void>((resolve, reject) => {
    // multer is written for express but only touches the node request and response underneath.
    handler(req as unknown as Request, ctx.res as ServerResponse as unknown as Response, (error?: unknown) => {
      if (error === undefined || error === null) return resolve();
      if (error instanceof MulterError) return reject(multerProblem(error, limits));
      reject(mpError('invalid_request', { message: '上传内容格式有误，请重新提交' }));
    });
  });
  return {
    fields: { ...(req.body ?? {}) },
    files: (req.files ?? []).map((f) => ({ field: f.fieldname, data: f.buffer })),
  };
}

async function readJson(ctx: Context): Promise<RequestForm> {
  assertDeclaredLengthWithin(ctx, JSON_LIMIT_BYTES, () => mpError('payload_too_large'));
  let text: string;
  try {
    text = await getRawBody(ctx.req, { limit: JSON_LIMIT_BYTES, encoding: 'utf8' });
  } catch (error) {
    if (error instanceof Error && 'type' in error && error.type === 'entity.too.large') throw mpError('payload_too_large');
    throw mpError('invalid_request', { message: '请求内容读取失败，请重试' });
  }
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw mpError('invalid_request', { message: '请求内容不是有效的 JSON' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw mpError('invalid_request', { message: '请求内容应为 JSON 对象' });
  return { fields: parsed as Record<string, unknown>, files: [] };
}

/** Reads a JSON or (when `files` allows it) a multipart body; anything else is refused with 415. */
export async function readForm(ctx: Context, limits?: FormLimits): Promise<RequestForm> {
  if (limits && ctx.is('multipart/form-data')) return readMultipart(ctx, limits);
  if (ctx.is('application/json') || !ctx.request.length) return readJson(ctx);
  throw mpError('unsupported_media_type');
}
