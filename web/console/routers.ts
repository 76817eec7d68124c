import { readFileSync } from 'node:fs';
import Router from '@koa/router';
import type { Context } from 'koa';
import { consoleAllianceRouter, type ConsoleAlliance } from './allianceRoutes';
import { consoleAnalysisRouter } from './analysisRoutes';
import { consoleApiRouter, type Audit } from './apiRoutes';
import { requireCsrf, requireViewer, SESSION_COOKIE, viewerOfUser, consoleState } from './auth';
import { consoleLoginRouter } from './loginRoutes';
import type { ConsoleServices } from './services';
import { APP_SHELL, serveStaticFiles } from './staticFiles';

/** Every route of the command centre: the app shell, login and logout, the API, the analysis and (when wired) the 联盟报到 screen. */
export function consoleRouters(services: ConsoleServices, alliance?: ConsoleAlliance): Router[] {
  const record = async (ctx: Context, entry: { userId: string; userName?: string; action: string; target?: string; outcome: 'ok' | 'refused'; detail?: string }) => {
    try {
      await services.audit.record({ at: new Date(), ip: ctx.ip, ...(ctx.get('user-agent') && { userAgent: ctx.get('user-agent').slice(0, 200) }), ...entry });
    } catch (error) {
      services.logger.error({ err: (error as Error).message, action: entry.action, userId: entry.userId }, 'console audit entry could not be written');
    }
  };
  const audit: Audit = (ctx, entry) => {
    const { viewer } = consoleState(ctx);
    return record(ctx, { userId: viewer.userId, userName: viewer.name, ...entry });
  };
  const guards = [
    requireViewer(services.sessions, services.user, services.districtId),
    requireCsrf((ctx) => audit(ctx, { action: `${ctx.method} ${ctx.path}`, outcome: 'refused', detail: 'CSRF 令牌缺失或错误' })),
  ];

  const shell = new Router();
  const html = readFileSync(APP_SHELL);
  serveStaticFiles(shell);
  shell.get(['/console', '/console/'], async (ctx) => {
    const id = ctx.cookies.get(SESSION_COOKIE);
    const session = id ? await services.sessions.get(id) : undefined;
    if (!session || !viewerOfUser(await services.user(session.userId))) return ctx.redirect('/console/login');
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = html;
  });
  const logout = new Router();
  logout.use(...guards);
  logout.post('/console/api/logout', async (ctx) => {
    const { sessionId } = consoleState(ctx);
    await audit(ctx, { action: 'logout', outcome: 'ok' });
    await services.sessions.destroy(sessionId);
    ctx.cookies.set(SESSION_COOKIE, null, { path: '/console' });
    ctx.body = { ok: true };
  });
  const allianceScreen = alliance ? [consoleAllianceRouter(services, alliance, audit, guards)] : [];
  return [shell, consoleLoginRouter(services, record), logout, consoleApiRouter(services, audit, guards), consoleAnalysisRouter(services, audit, guards), ...allianceScreen];
}
