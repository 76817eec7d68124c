import { CHINA_TIME_ZONE } from '../src/chinaTime';
import type { WecomApiClient } from '../bots/wecom/apiClient';
import type { MediaStorage } from '../bots/wecom/mediaStorage';
import type { CaseChangeSubscriber } from '../commands/caseSubscribers';
import type { LifecycleDeps } from '../commands/deps';
import { loadConsoleConfig } from '../config/console';
import { loadDistrictSeed } from '../config/district';
import { summarise } from '../src/console/summary';
import type { CaseRepository } from '../store/caseRepository';
import { CaseSummaryFeed } from '../store/caseSummaryFeed';
import { CaseSummaryIndex } from '../store/caseSummaryIndex';
import { ConsoleAuditLog } from '../store/consoleAudit';
import type { ConsoleAlliance } from '../web/console/allianceRoutes';
import { ConsoleEventStreams } from '../web/console/eventStream';
import { consoleRouters } from '../web/console/routers';
import type { ConsoleServices } from '../web/console/services';
import { ConsoleSessions } from '../web/console/sessions';
import type { AppModule, Infrastructure } from './runtime';

export interface ConsoleFeed {
  feed: CaseSummaryFeed;
  /** Publishes every stored change to the read models of all web processes (a subscriber of the lifecycle). */
  subscriber: CaseChangeSubscriber;
}

/** The case changes every process publishes (both roles change cases) and every web process's read model follows. */
export function consoleFeed(infra: Infrastructure): ConsoleFeed {
  const feed = new CaseSummaryFeed(infra.redis, infra.env.QUEUE_PREFIX, infra.logger.child({ component: 'console-feed' }));
  infra.closeables.push({ name: 'console case feed', close: () => feed.close() });
  return { feed, subscriber: async (change) => feed.publish(summarise(change.after)) };
}

export interface ConsoleModuleOptions {
  /** The process's one case repository (built in the composition root). */
  cases: CaseRepository;
  lifecycle: LifecycleDeps;
  feed: CaseSummaryFeed;
  gateway: { client: WecomApiClient; media: MediaStorage };
  /** The alliance's store and rules, for the 联盟报到 screen (its figures and registration). */
  alliance?: ConsoleAlliance;
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
 * The command centre (指挥中心) at /console (web role): WeChat Work login, sessions in Redis, CSRF
 * on every action, an audit log, and the board, cases, map, rankings and monthly report over a
 * read model of the district's cases that every change keeps current.
 */
export function consoleModule(infra: Infrastructure, options: ConsoleModuleOptions): AppModule {
  return {
    routers() {
      const { env } = infra;
      const config = loadConsoleConfig(env.CONSOLE_CONFIG, env.CONSOLE_TILE_URL);
      const { districtId, places } = placesFrom(env.DISTRICT_CONFIG);
      const logger = infra.logger.child({ module: 'console' });
      const index = new CaseSummaryIndex(infra.mongo, options.feed, districtId, logger, config.lights);
      infra.closeables.push({ name: 'console read model', close: () => index.close() });
      const streams = new ConsoleEventStreams();
      index.onChange((s) => streams.caseChanged(s));
      (infra.streams ?? infra.closeables).push({ name: 'console event streams', close: () => streams.close() });
      const { client, media } = options.gateway;
      const services: ConsoleServices = {
        districtId,
        timeZone: CHINA_TIME_ZONE,
        config,
        login: { corpId: env.WECOM_CORP_ID ?? '', agentId: env.WECOM_AGENT_ID ?? 0, oauthBase: env.WECOM_OAUTH_BASE, ssoBase: env.WECOM_SSO_BASE },
        identity: (code) => client.loginIdentity(code),
        user: async (id) => (await infra.org.user(id)) ?? undefined,
        sessions: new ConsoleSessions(infra.redis, env.QUEUE_PREFIX, config.session.ttlSeconds),
        index,
        loadCase: (id) => options.cases.get(id),
        lifecycle: options.lifecycle,
        audit: new ConsoleAuditLog(infra.mongo),
        streams,
        media,
        places,
        logger,
        now: () => new Date(),
        storeLoad: () => infra.storeLoad?.(),
      };
      index.start().catch((error: unknown) => logger.error({ err: (error as Error).message }, 'console read model failed to load; the board waits for it'));
      return consoleRouters(services, options.alliance);
    },
  };
}
