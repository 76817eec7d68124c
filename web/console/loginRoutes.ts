import Router from '@koa/router';
import type { Context } from 'koa';
import { WecomApiError } from '../../bots/wecom/apiErrors';
import { LOGIN_COOKIE, SESSION_COOKIE, viewerOfUser } from './auth';
import { messagePage } from './pages';
import type { ConsoleServices } from './services';

const LOGIN_PAGE = '/console/login';

/** Only our own console pages are places to come back to after login. */
function safeReturn(value: unknown): string {
  return typeof value === 'string' && /^\/console(\/|$|#|\?)/.test(value) && !value.startsWith('//') ? value : '/console';
}

function isWecomClient(ctx: Context): boolean {
  return /wxwork/i.test(ctx.get('user-agent'));
}

function cookieOptions(ctx: Context, maxAgeMs: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: ctx.secure, path: '/console', maxAge: maxAgeMs, overwrite: true };
}

function page(ctx: Context, status: number, html: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = html;
}

/**
 * Login to the console through WeChat Work only: 网页授权 (snsapi_base) inside the WeChat Work
 * client, 扫码登录 on a desktop. Both come back to /console/auth/callback with a one-time code
 * that auth/getuserinfo turns into the member's userid; there is no other way in.
 */
export function consoleLoginRouter(services: ConsoleServices, audit: (ctx: Context, entry: { userId: string; userName?: string; action: string; outcome: 'ok' | 'refused'; detail?: string }) => Promise<void>): Router {
  const router = new Router();

  router.get('/console/auth/start', async (ctx) => {
    const flow = ctx.query.flow === 'oauth' || (ctx.query.flow === undefined && isWecomClient(ctx)) ? 'oauth' : 'sso';
    const state = await services.sessions.beginLogin({ returnTo: safeReturn(ctx.query.next), flow });
    ctx.cookies.set(LOGIN_COOKIE, state, cookieOptions(ctx, 600_000));
    const redirectUri = `${ctx.protocol}://${ctx.host}/console/auth/callback`;
    const { corpId, agentId } = services.login;
    const target =
      flow === 'oauth'
        ? new URL('/connect/oauth2/authorize', services.login.oauthBase)
        : new URL('/wwlogin/sso/login', services.login.ssoBase);
    const params = flow === 'oauth'
      ? { appid: corpId, redirect_uri: redirectUri, response_type: 'code', scope: 'snsapi_base', state, agentid: String(agentId) }
      : { login_type: 'CorpApp', appid: corpId, agentid: String(agentId), redirect_uri: redirectUri, state };
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    ctx.redirect(flow === 'oauth' ? `${target.toString()}#wechat_redirect` : target.toString());
  });

  router.get('/console/auth/callback', async (ctx) => {
    const code = typeof ctx.query.code === 'string' ? ctx.query.code : '';
    const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
    const bound = ctx.cookies.get(LOGIN_COOKIE);
    ctx.cookies.set(LOGIN_COOKIE, null, { path: '/console' });
    const retry = { href: LOGIN_PAGE, label: '重新登录' };
    if (!code) return page(ctx, 400, messagePage('未完成登录', '企业微信没有返回登录凭证（可能取消了授权），请重新登录。', retry));
    // The state must be the one this browser started with, and unused: a forged or replayed callback logs nobody in.
    const attempt = state && bound === state ? await services.sessions.finishLogin(state) : undefined;
    if (!attempt) return page(ctx, 400, messagePage('登录已过期', '登录请求已过期或不是从本浏览器发起的，请重新登录。', retry));
    let identity: { userId: string } | { openid: string };
    try {
      identity = await services.identity(code);
    } catch (error) {
      if (error instanceof WecomApiError) return page(ctx, 400, messagePage('登录失败', '登录凭证无效或已使用，请重新登录。', retry));
      throw error;
    }
    if (!('userId' in identity)) {
      await audit(ctx, { userId: `openid:${identity.openid}`, action: 'login', outcome: 'refused', detail: 'not a member of the corp' });
      return page(ctx, 403, messagePage('无法登录', '您不是本单位企业微信成员，不能使用指挥中心。'));
    }
    const user = await services.user(identity.userId);
    const viewer = viewerOfUser(user);
    if (!viewer || viewer.districtId !== services.districtId) {
      await audit(ctx, { userId: identity.userId, ...(user && { userName: user.name }), action: 'login', outcome: 'refused', detail: 'no console role' });
      return page(ctx, 403, messagePage('没有权限', '您没有指挥中心的使用权限。如需开通，请联系区指挥中心管理员。'));
    }
    const { id } = await services.sessions.create(viewer.userId, ctx.ip);
    ctx.cookies.set(SESSION_COOKIE, id, cookieOptions(ctx, services.sessions.ttl * 1000));
    await audit(ctx, { userId: viewer.userId, userName: viewer.name, action: 'login', outcome: 'ok', detail: attempt.flow === 'oauth' ? '企业微信网页授权' : '企业微信扫码登录' });
    ctx.redirect(attempt.returnTo);
  });

  router.get(LOGIN_PAGE, async (ctx) => {
    const next = safeReturn(ctx.query.next);
    if (isWecomClient(ctx)) return ctx.redirect(`/console/auth/start?flow=oauth&next=${encodeURIComponent(next)}`);
    page(ctx, 200, messagePage('登录指挥中心', '请使用企业微信登录。在电脑上用企业微信扫码；在企业微信里打开本页会自动登录。', { href: `/console/auth/start?flow=sso&next=${encodeURIComponent(next)}`, label: '企业微信扫码登录' }));
  });

  return router;
}
