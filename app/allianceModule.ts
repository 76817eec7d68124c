import { createHmac, randomBytes } from 'node:crypto';
import { registerAllianceListeners } from '../bots/wecom/alliance/tapListener';
import { wecomAllianceNotifier } from '../bots/wecom/alliance/notifier';
import type { AllianceDeps } from '../commands/alliance/deps';
import { remindBeforeStart, remindBehindQuota } from '../commands/alliance/reminders';
import { gridMembersOf, registerSeedParticipants } from '../commands/alliance/seedParticipants';
import { loadAllianceConfig, type AllianceConfig } from '../config/alliance';
import { loadDistrictSeed } from '../config/district';
import { loadMpConfig, type MpConfig } from '../config/mp';
import { createVolunteerNotifier, withVolunteerMessages } from '../bots/wechat-mp/volunteerNotifier';
import { createMpOutbox } from '../jobs/mp-outbox';
import { residentModel } from '../store/models/resident';
import { residentSubscriptionModel } from '../store/models/residentSubscription';
import type { Env } from '../config';
import type { Logger } from '../infra/logger';
import { allianceReminderScheduler, createAllianceReminderWorker } from '../jobs/alliance/reminderQueue';
import type { InboundDispatcher } from '../jobs/inbound/dispatcher';
import { bullConnectionFor } from '../jobs/outbox/connection';
import { outboxFromEnv } from '../jobs/outbox/fromEnv';
import { createPeriodicJob } from '../jobs/periodic/periodicJob';
import type { Participant } from '../src/alliance/types';
import { AllianceRepository } from '../store/alliance/allianceRepository';
import { allianceAdminRouter } from '../web/alliance/adminRouter';
import { allianceAttendRouter } from '../web/alliance/attendRouter';
import { allianceMpRouter } from '../web/alliance/mpRouter';
import { SessionStore } from '../web/mp/session';
import type { AppModule, Infrastructure } from './runtime';

export interface AllianceModuleOptions {
  /** The inbound worker's dispatcher, where 哨令 card taps arrive (worker role). */
  dispatcher?: InboundDispatcher;
  config?: AllianceConfig;
  /** The mini-program settings (volunteers' subscribe-message templates); config/mp.json by default. */
  mpConfig?: MpConfig;
  clock?: () => Date;
}

export interface AllianceModule extends AppModule {
  deps: AllianceDeps & { reminders: ReturnType<typeof allianceReminderScheduler> };
}

const QUOTA_REMINDER_EVERY_MS = 24 * 3600_000;

/** ALLIANCE_SECRET, else one derived from the app's WeChat Work secret; a random one (this process only) as the last resort. */
function allianceSecret(env: Env, logger: Logger): string {
  if (env.ALLIANCE_SECRET) return env.ALLIANCE_SECRET;
  if (env.WECOM_SECRET) return createHmac('sha256', env.WECOM_SECRET).update('whistlebot alliance check-in').digest('base64url');
  logger.warn('ALLIANCE_SECRET is not set and there is no WECOM_SECRET to derive it from: QR codes and check-in links work in this process only');
  return randomBytes(32).toString('base64url');
}

/** 联盟单位、双报到、社会力量、网格成员报到: the command centre's API, check-in pages, volunteer routes, card taps and reminders. */
export function allianceModule(infra: Infrastructure, options: AllianceModuleOptions = {}): AllianceModule {
  const config = options.config ?? loadAllianceConfig(infra.env.ALLIANCE_CONFIG);
  const mp = options.mpConfig ?? loadMpConfig(infra.env.MP_CONFIG);
  const outbox = outboxFromEnv(infra);
  const reminders = allianceReminderScheduler({ connection: bullConnectionFor(infra), prefix: infra.env.QUEUE_PREFIX, leadMinutes: config.remindBeforeStartMinutes, ...(options.clock && { clock: options.clock }) });
  // The mini-program outbox queue (the mini-program module's worker sends it); volunteers' messages go there.
  const mpOutbox = createMpOutbox({ connection: bullConnectionFor(infra), prefix: infra.env.QUEUE_PREFIX, attempts: mp.subscribe.attempts, backoffMs: mp.subscribe.backoffMs });
  infra.closeables.push({ name: 'alliance outbox', close: () => outbox.close() }, { name: 'alliance reminder queue', close: () => reminders.close() }, { name: 'alliance volunteer message queue', close: () => mpOutbox.close() });
  const volunteers = createVolunteerNotifier({ config: mp.subscribe, outbox: mpOutbox, subscriptions: residentSubscriptionModel(infra.mongo), residents: residentModel(infra.mongo), ...(options.clock && { clock: options.clock }), logger: infra.logger.child({ module: 'alliance-volunteers' }) });
  const deps = {
    repo: new AllianceRepository(infra.mongo),
    notifier: withVolunteerMessages(wecomAllianceNotifier({ outbox, timeZone: config.timeZone, ...(options.clock && { clock: options.clock }), logger: infra.logger.child({ module: 'alliance' }) }), volunteers),
    reminders,
    config,
    secret: allianceSecret(infra.env, infra.logger),
    clock: options.clock ?? (() => new Date()),
  };
  const logger = infra.logger.child({ module: 'alliance' });

  return {
    deps,
    routers() {
      const services = {
        deps,
        token: infra.env.ALLIANCE_API_TOKEN,
        sessions: new SessionStore(infra.redis, infra.env.QUEUE_PREFIX, mp.session.ttlSeconds),
        logger,
        subscribe: mp.subscribe,
        subscriptions: residentSubscriptionModel(infra.mongo),
      };
      return [allianceAdminRouter(services), allianceAttendRouter(services), allianceMpRouter(services)];
    },
    async startWorkers() {
      const seeded: Participant[] = [...(config.participants as Participant[]), ...gridMembersOf(loadDistrictSeed(infra.env.DISTRICT_CONFIG))];
      logger.info({ registered: await registerSeedParticipants(deps, seeded, logger) }, 'alliance participants from config registered');
      if (options.dispatcher) registerAllianceListeners(options.dispatcher, { alliance: deps, outbox, logger });
      else logger.warn('no inbound dispatcher wired: 哨令 card taps will not be handled');
      const connection = bullConnectionFor(infra);
      const worker = createAllianceReminderWorker({ connection, prefix: infra.env.QUEUE_PREFIX, remind: (id, minutes) => remindBeforeStart(deps, id, minutes), logger });
      const quota = createPeriodicJob({ connection, prefix: infra.env.QUEUE_PREFIX, queueName: 'alliance-quota-reminders', schedulerId: 'alliance-quota-reminders', everyMs: QUOTA_REMINDER_EVERY_MS, run: () => remindBehindQuota(deps), what: 'alliance quota reminder', logger });
      await quota.ensureScheduled();
      return [
        { name: 'alliance reminder worker', close: () => worker.close() },
        { name: 'alliance quota reminders', close: () => quota.close() },
      ];
    },
  };
}
