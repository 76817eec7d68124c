import Router from '@koa/router';
import { MP_BAD_LOGIN_CODE_ERRCODES, WechatMpApiError } from '../../../bots/wechat-mp/errors';
import { residentForOpenid } from '../../../store/models/resident';
import { readForm } from '../body';
import { mpError } from '../errors';
import { authenticate, bearerToken, limitByIp } from '../middleware';
import type { MpServices, MpState } from '../services';
import { parseRequest } from '../validate';

async function exchange(services: MpServices, code: string): Promise<{ openid: string; unionid?: string }> {
  if (!services.login) throw mpError('not_configured');
  try {
    return await services.login.code2Session(code);
  } catch (error) {
    if (error instanceof WechatMpApiError && MP_BAD_LOGIN_CODE_ERRCODES.has(error.errcode)) throw mpError('invalid_login_code');
    services.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'jscode2session failed');
    throw mpError('wechat_unavailable');
  }
}

/** POST /api/mp/session (login with the wx.login code) and DELETE /api/mp/session (logout). */
export function sessionRoutes(services: MpServices): Router<MpState> {
  const router = new Router<MpState>({ prefix: '/api/mp' });

  router.post('/session', limitByIp(services, 'login'), async (ctx) => {
    const { code } = parseRequest(services.schemas.login, (await readForm(ctx)).fields);
    const identity = await exchange(services, code);
    const resident = await residentForOpenid(services.residents, identity.openid, services.clock(), identity.unionid);
    const issued = await services.sessions.issue({ residentId: resident._id, openid: resident.openid });
    services.logger.info({ residentId: resident._id }, 'resident logged in');
    ctx.status = 201;
    ctx.body = { token: issued.token, tokenType: 'Bearer', expiresIn: issued.expiresInSeconds };
  });

  router.delete('/session', limitByIp(services, 'write'), authenticate(services), async (ctx) => {
    const token = bearerToken(ctx.get('authorization'));
    if (token) await services.sessions.revoke(token);
    ctx.status = 204;
  });

  return router;
}
