import type { Middleware, ParameterizedContext } from 'koa';
import type { RateLimitAction } from '../../config/mp';
import { mpError, mpRateLimited } from './errors';
import type { MpServices, MpState } from './services';
import type { ResidentSession } from './session';

type MpContext = ParameterizedContext<MpState>;

/** The checked resident of an authenticated route. */
export function residentOf(ctx: MpContext): ResidentSession {
  const resident = ctx.state.resident;
  if (!resident) throw mpError('unauthenticated');
  return resident;
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** `Authorization: Bearer <token>` → the session; expired, revoked, forged and missing tokens all answer 401. */
export function authenticate(services: Pick<MpServices, 'sessions'>): Middleware<MpState> {
  return async (ctx, next) => {
    const token = bearerToken(ctx.get('authorization'));
    if (!token) throw mpError('unauthenticated', { message: '请先登录' });
    const session = await services.sessions.resolve(token);
    if (!session) throw mpError('unauthenticated');
    ctx.state.resident = session;
    await next();
  };
}

/** Per-IP limit of an action; runs before authentication so forged tokens are limited too. */
export function limitByIp(services: MpServices, action: RateLimitAction): Middleware<MpState> {
  const window = services.config.rateLimits[action].perIp;
  return async (ctx, next) => {
    if (window) {
      const decision = await services.limiter.hit(`${action}:ip`, ctx.ip, window);
      if (!decision.allowed) throw mpRateLimited(decision.retryAfterSeconds);
    }
    await next();
  };
}

/** Per-resident limit of an action; needs `authenticate` before it. */
export function limitByResident(services: MpServices, action: RateLimitAction): Middleware<MpState> {
  const window = services.config.rateLimits[action].perOpenid;
  return async (ctx, next) => {
    if (window) {
      const decision = await services.limiter.hit(`${action}:openid`, residentOf(ctx).openid, window);
      if (!decision.allowed) throw mpRateLimited(decision.retryAfterSeconds);
    }
    await next();
  };
}
