import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware, Next } from 'koa';
import { viewerFor, type Viewer } from '../../src/console/access';
import type { UserDoc } from '../../store/models/org';
import { AuthenticationError, ForbiddenError } from '../errors';
import type { ConsoleSession, ConsoleSessions } from './sessions';

export const SESSION_COOKIE = 'wb_console';
export const LOGIN_COOKIE = 'wb_console_login';

export interface ConsoleState {
  viewer: Viewer;
  session: ConsoleSession;
  sessionId: string;
}

export function consoleState(ctx: Context): ConsoleState {
  const state = ctx.state as Partial<ConsoleState>;
  if (!state.viewer || !state.session || !state.sessionId) throw new AuthenticationError();
  return state as ConsoleState;
}

/** The organisation member as a console viewer, or undefined when they have no console role. */
export function viewerOfUser(user: UserDoc | undefined): Viewer | undefined {
  if (!user) return undefined;
  return viewerFor({
    userId: user._id,
    name: user.name,
    districtId: user.districtId,
    roles: user.roles,
    ...(user.deptCode !== undefined && { deptCode: user.deptCode }),
    ...(user.streetId !== undefined && { streetId: user.streetId }),
  });
}

/**
 * Every console API call needs a live session of someone who is (still) in the organisation with
 * a console role: an expired session, or a person removed from the district seed, gets a 401.
 */
export function requireViewer(sessions: ConsoleSessions, user: (id: string) => Promise<UserDoc | undefined>, districtId: string): Middleware {
  return async (ctx: Context, next: Next) => {
    const id = ctx.cookies.get(SESSION_COOKIE);
    const session = id ? await sessions.get(id) : undefined;
    if (!id || !session) throw new AuthenticationError('登录已失效，请重新登录指挥中心');
    const viewer = viewerOfUser(await user(session.userId));
    if (!viewer || viewer.districtId !== districtId) {
      await sessions.destroy(id);
      throw new AuthenticationError('您已不在本区组织架构中或已无指挥中心权限，请联系管理员');
    }
    Object.assign(ctx.state, { viewer, session, sessionId: id } satisfies ConsoleState);
    await next();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Every state-changing request carries the session's CSRF token in `X-CSRF-Token`. */
export function requireCsrf(onRefused: (ctx: Context) => Promise<void>): Middleware {
  return async (ctx: Context, next: Next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      const { session } = consoleState(ctx);
      const sent = ctx.get('x-csrf-token');
      if (!sent || !timingSafeEqual(digest(sent), digest(session.csrf))) {
        await onRefused(ctx);
        throw new ForbiddenError('请求缺少有效的 CSRF 令牌，请刷新页面后重试', 'csrf_failed');
      }
    }
    await next();
  };
}
