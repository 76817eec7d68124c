import { readFileSync } from 'node:fs';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { AppModule, Infrastructure } from '../../app/runtime';
import type { WecomGateway } from '../../app/wecomGateway';
import type { LifecycleDeps } from '../../commands/deps';
import type { CaseChangeSubscriber } from '../../commands/caseSubscribers';
import { loadConsoleConfig } from '../../config/console';
import { loadDistrictSeed } from '../../config/district';
import { summarise } from '../../src/console/summary';
import { CaseRepository } from '../../store/caseRepository';
import { CaseSummaryFeed } from '../../store/caseSummaryFeed';
import { CaseSummaryIndex } from '../../store/caseSummaryIndex';
import { ConsoleAuditLog } from '../../store/consoleAudit';
import { consoleAllianceRouter, type ConsoleAlliance } from './allianceRoutes';
import { consoleAnalysisRouter } from './analysisRoutes';
import { consoleApiRouter, type Audit } from './apiRoutes';
import { requireCsrf, requireViewer, SESSION_COOKIE, viewerOfUser, consoleState } from './auth';
import { ConsoleEventStreams } from './eventStream';
import { consoleLoginRouter } from './loginRoutes';
import type { ConsoleServices } from './services';
import { ConsoleSessions } from './sessions';
import { APP_SHELL, serveStaticFiles } from './staticFiles';

export interface ConsoleModuleOptions {
  lifecycle(infra: Infrastructure): LifecycleDeps;
  gateway: WecomGateway;
  /** The alliance's store and rules, for the 联盟报到 screen (its figures and registration). */
  alliance?(infra: Infrastructure): ConsoleAlliance;
}

export interface ConsoleModule extends AppModule {
  /** Publishes every stored change to the read models of all web processes (wire into the lifecycle). */
  subscriber(infra: Infrastructure): CaseChangeSubscriber;
  services(infra: Infrastructure): ConsoleServices;
}

function placesFrom(districtConfig: string) {
  const seed = loadDistrictSeed(districtConfig);
  const streets = seed.streets.map((s) => ({ id: s.id, name: s.name, communities: s.communities.map((c) => ({ id: c.id, name: c.name })) }));
  const streetNames = new Map(streets.map((s) => [s.id, s.name]));
  const communityNames = new Map(streets.flatMap((s) => s.communities.map((c) => [c.id, c.name] as const)));
  return {
    districtId: seed.district.id,
    places: {
      streets,
      street: (id: string) => streetNames.get(id) ?? id,
      community: (id: string | undefined) => (id === undefined ? '' : communityNames.get(id) ?? id),
    },
  };
}

/**
 * The command centre (指挥中心) at /console: WeChat Work login, sessions in Redis, CSRF on every
 * action, an audit log, and the board, cases, map, rankings and monthly report over a read model
 * of the district's cases that every change keeps current.
 */
export function consoleModule(options: ConsoleModuleOptions): ConsoleModule {
  const feeds = new WeakMap<Infrastructure, CaseSummaryFeed>();
  const built = new WeakMap<Infrastructure, ConsoleServices>();

  const feedFor = (infra: Infrastructure): CaseSummaryFeed => {
    const existing = feeds.get(infra);
    if (existing) return existing;
    const feed = new CaseSummaryFeed(infra.redis, infra.env.QUEUE_PREFIX, infra.logger.child({ component: 'console-feed' }));
    feeds.set(infra, feed);
    infra.closeables.push({ name: 'console case feed', close: () => feed.close() });
    return feed;
  };

  const build = (infra: Infrastructure): ConsoleServices => {
    const existing = built.get(infra);
    if (existing) return existing;
    const { env } = infra;
    const config = loadConsoleConfig(env.CONSOLE_CONFIG, env.CONSOLE_TILE_URL);
    const { districtId, places } = placesFrom(env.DISTRICT_CONFIG);
    const logger = infra.logger.child({ module: 'console' });
    const index = new CaseSummaryIndex(infra.mongo, feedFor(infra), districtId, logger);
    infra.closeables.push({ name: 'console read model', close: () => index.close() });
    const streams = new ConsoleEventStreams();
    index.onChange((s) => streams.caseChanged(s));
    (infra.streams ?? infra.closeables).push({ name: 'console event streams', close: () => streams.close() });
    const repository = new CaseRepository(infra.mongo);
    const client = options.gateway.client(infra);
    const services: ConsoleServices = {
      districtId,
      timeZone: 'Asia/Shanghai',
      config,
      login: { corpId: env.WECOM_CORP_ID ?? '', agentId: env.WECOM_AGENT_ID ?? 0, oauthBase: env.WECOM_OAUTH_BASE, ssoBase: env.WECOM_SSO_BASE },
      identity: (code) => client.loginIdentity(code),
      user: async (id) => (await infra.org.user(id)) ?? undefined,
      sessions: new ConsoleSessions(infra.redis, env.QUEUE_PREFIX, config.session.ttlSeconds),
      index,
      loadCase: (id) => repository.get(id),
      lifecycle: options.lifecycle(infra),
      audit: new ConsoleAuditLog(infra.mongo),
      streams,
      media: options.gateway.media(infra),
      places,
      logger,
      now: () => new Date(),
      storeLoad: () => infra.storeLoad?.(),
    };
    index.start().catch((error: unknown) => logger.error({ err: (error as Error).message }, 'console read model failed to load; the board waits for it'));
    built.set(infra, services);
    return services;
  };

  return {
    subscriber: (infra) => {
      const feed = feedFor(infra);
      return async (change) => feed.publish(summarise(change.after));
    },
    services: build,
    routers(infra) {
      const services = build(infra);
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
      const alliance = options.alliance ? [consoleAllianceRouter(services, options.alliance(infra), audit, guards)] : [];
      return [shell, consoleLoginRouter(services, record), logout, consoleApiRouter(services, audit, guards), consoleAnalysisRouter(services, audit, guards), ...alliance];
    },
  };
}
