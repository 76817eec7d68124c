import type { Middleware } from 'koa';
import { isLoopbackHost } from '../../config/env';
import { ForbiddenError, HttpError } from '../errors';

/** The host part of a Host header or an Origin, lower-cased; undefined when it does not parse. */
function hostnameOf(authority: string, scheme = 'http://'): string | undefined {
  if (!URL.canParse(`${scheme}${authority}`)) return undefined;
  return new URL(`${scheme}${authority}`).hostname.toLowerCase();
}

function originHostname(origin: string): string | undefined {
  if (!URL.canParse(origin)) return undefined;
  const url = new URL(origin);
  return /^https?:$/.test(url.protocol) ? url.hostname.toLowerCase() : undefined;
}

/**
 * The sandbox console drives the bot as any district member, so only this machine's own pages may
 * call it: the Host must be loopback (or a name configured in HOST / PUBLIC_BASE_URL) — which stops
 * DNS rebinding —, a browser's Origin must be one of those, and a POST must be JSON, which a
 * cross-site form or `no-cors` fetch cannot send without a preflight.
 */
export function sandboxRequestGuard(configuredHosts: readonly string[]): Middleware {
  const allowed = (host: string | undefined) => host !== undefined && (isLoopbackHost(host) || configuredHosts.includes(host));
  return async (ctx, next) => {
    const host = hostnameOf(ctx.get('host'));
    if (!allowed(host)) throw new ForbiddenError(`沙盒只接受本机访问（Host ${ctx.get('host') || '缺失'} 不是本机地址）`, 'sandbox_foreign_host');
    const origin = ctx.get('origin');
    if (origin && !allowed(originHostname(origin))) throw new ForbiddenError(`沙盒拒绝来自其他网站的请求（Origin ${origin}）`, 'sandbox_foreign_origin');
    if (ctx.method === 'POST' && !ctx.is('application/json')) throw new HttpError(415, 'json_required', '沙盒接口只接受 Content-Type: application/json');
    await next();
  };
}

/** Host names besides loopback that the sandbox answers for: HOST when it names one, and PUBLIC_BASE_URL's. */
export function configuredSandboxHosts(env: { HOST: string; PUBLIC_BASE_URL?: string | undefined }): string[] {
  const hosts = [hostnameOf(env.HOST), env.PUBLIC_BASE_URL ? originHostname(env.PUBLIC_BASE_URL) : undefined];
  return hosts.filter((h): h is string => h !== undefined && h !== '0.0.0.0' && h !== '[::]');
}
