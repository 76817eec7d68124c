import type { Context } from 'koa';

/**
 * Refuses at once a body whose declared Content-Length is over the limit, instead of waiting for
 * bytes that may never come; the connection is closed after the answer so the rest is not read.
 */
export function assertDeclaredLengthWithin(ctx: Context, limitBytes: number, tooLarge: () => Error): void {
  const declared = ctx.request.length;
  if (declared === undefined || declared <= limitBytes) return;
  ctx.set('Connection', 'close');
  throw tooLarge();
}
