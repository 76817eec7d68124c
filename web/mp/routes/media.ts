import Router from '@koa/router';
import { mpError } from '../errors';
import type { MpServices, MpState } from '../services';

/**
 * GET /api/mp/media/<key>?expires=&signature=: a photo, for whoever holds an unexpired signed link.
 * Streamed from storage as stored (it was cleaned on upload): never buffered whole, never decoded,
 * never waiting behind the photo decode queue.
 */
export function mediaRoutes(services: MpServices): Router<MpState> {
  const router = new Router<MpState>({ prefix: '/api/mp' });
  router.get('/media/*key', async (ctx) => {
    const key = decodedKey(ctx.path.slice('/api/mp/media/'.length));
    const expires = typeof ctx.query.expires === 'string' ? ctx.query.expires : undefined;
    const signature = typeof ctx.query.signature === 'string' ? ctx.query.signature : undefined;
    if (!(await services.signer.verify(key, expires, signature))) throw mpError('not_found', { message: '图片链接已失效，请刷新页面' });
    const stored = await services.media.open(key).catch(() => undefined);
    if (!stored) throw mpError('not_found', { message: '图片不存在' });
    ctx.set('Cache-Control', 'private, max-age=3600');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = stored.meta.contentType;
    ctx.length = stored.size;
    ctx.body = stored.stream;
  });
  return router;
}

/** A link with broken percent-encoding was never one of ours: the same 404 as any bad link. */
function decodedKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw mpError('not_found', { message: '图片链接无效，请刷新页面' });
  }
}
