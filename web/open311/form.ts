import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { Open311Error } from './errors';

/** A service request is a few fields of text: 64 KB is far above any real one. */
export const OPEN311_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The POST body as the spec sends it: `application/x-www-form-urlencoded` (what FixMyStreet's
 * client and most others send). A field given twice keeps its first value.
 */
export async function readForm(ctx: Context): Promise<Record<string, string>> {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new Open311Error(415, 'send the request as application/x-www-form-urlencoded, as GeoReport v2 specifies');
  let text: string;
  try {
    text = await getRawBody(ctx.req, { limit: OPEN311_BODY_LIMIT_BYTES, encoding: 'utf8' });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw new Open311Error(413, `the request body is over ${OPEN311_BODY_LIMIT_BYTES} bytes`);
    throw new Open311Error(400, 'the request body could not be read');
  }
  const form: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) if (!(key in form)) form[key] = value;
  return form;
}

/** `attribute[code]=value` fields, by code. */
export function attributesOf(form: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(form).flatMap(([key, value]) => {
    const match = /^attribute\[([^\]]{1,64})\]$/.exec(key);
    return match ? [[match[1]!, value]] : [];
  }));
}
