import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { assertDeclaredLengthWithin } from '../infra/declaredLength';
import { PayloadTooLargeError, ValidationError } from './errors';

/** Reads a JSON object body with a size limit; a bad or oversized body is a named 4xx error. */
export async function readJsonBody(ctx: Context, limitBytes = 64 * 1024): Promise<Record<string, unknown>> {
  const tooLarge = () => new PayloadTooLargeError(`请求体不能超过 ${limitBytes} 字节`);
  assertDeclaredLengthWithin(ctx, limitBytes, tooLarge);
  let text: string;
  try {
    text = await getRawBody(ctx.req, { limit: limitBytes, encoding: 'utf8' });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw tooLarge();
    throw new ValidationError('无法读取请求体');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text || '{}');
  } catch {
    throw new ValidationError('请求体不是合法的 JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ValidationError('请求体必须是 JSON 对象');
  return parsed as Record<string, unknown>;
}
