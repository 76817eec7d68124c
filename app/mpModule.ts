import type { LifecycleDeps } from '../commands/deps';
import { WechatMpClient } from '../bots/wechat-mp/client';
import { createResidentNotifier, type ResidentNotifier } from '../bots/wechat-mp/residentNotifier';
import type { ResidentMilestoneNotifier } from '../bots/wecom/lifecycle/ports';
import { LocalDiskMediaStorage, type MediaStorage } from '../bots/wecom/mediaStorage';
import { loadDistrictSeed } from '../config/district';
import type { MpConfig } from '../config/mp';
import type { ResidentMilestone } from '../src/cases/milestones';
import { bullConnectionFor } from '../jobs/outbox/connection';
import { createMpOutbox, createMpOutboxWorker } from '../jobs/mp-outbox';
import type { Case } from '../src/cases';
import { residentModel } from '../store/models/resident';
import { residentCaseModel } from '../store/models/residentCase';
import { residentSubscriptionModel } from '../store/models/residentSubscription';
import { lifecycleGateway } from '../web/mp/caseGateway';
import { mpDistrictFrom } from '../web/mp/district';
import { DecodeQueue } from '../web/mp/decodeQueue';
import { ReportIdempotency } from '../web/mp/idempotency';
import { MediaUrlSigner } from '../web/mp/mediaUrls';
import { PhotoUploads } from '../web/mp/photoUploads';
import { PixelBudget } from '../web/mp/pixelBudget';
import { RateLimiter } from '../web/rateLimit';
import { mpRouters } from '../web/mp/router';
import { requestSchemas } from '../web/mp/schemas';
import { SessionStore } from '../web/mp/session';
import type { Closeable } from './closeables';
import { publicBaseUrl, type AppModule, type Infrastructure } from './runtime';

export interface ResidentNotices {
  residentNotifier: ResidentNotifier;
  /** Exactly the WeCom lifecycle notifier's `residents` port: pass it as `lifecycleModule(infra, { residents })`. */
  notifyResidentMilestone: ResidentMilestoneNotifier;
}

/** Residents told of their case's milestones: subscribe messages queued on the mini-program outbox (both roles change cases). */
export function residentNotices(infra: Infrastructure, config: MpConfig): ResidentNotices {
  const outbox = createMpOutbox({ connection: bullConnectionFor(infra), prefix: infra.env.QUEUE_PREFIX, attempts: config.subscribe.attempts, backoffMs: config.subscribe.backoffMs });
  infra.closeables.push({ name: 'mini-program outbox queue', close: () => outbox.close() });
  const residentNotifier = createResidentNotifier({ config: config.subscribe, outbox, subscriptions: residentSubscriptionModel(infra.mongo), logger: infra.logger });
  return {
    residentNotifier,
    notifyResidentMilestone: async (c: Case, milestone: ResidentMilestone) => void (await residentNotifier.notifyResidentMilestone(c, milestone)),
  };
}

export interface MpModuleOptions {
  /** The case lifecycle this process runs (the same deps the WeCom side uses). */
  lifecycle: LifecycleDeps;
  config: MpConfig;
  /** Defaults to local disk under MEDIA_DIR. */
  media?: MediaStorage;
  /** Defaults to PHOTO_DECODE_CONCURRENCY decoders with PHOTO_DECODE_QUEUE places to wait. */
  decodeQueue?: DecodeQueue;
  /** The residents' milestone messages (`residentNotices`), which the lifecycle sends through. */
  residents: ResidentNotices;
}

export interface MpModule extends AppModule {
  residents: ResidentNotices;
}

/** The residents' mini-program back end: JSON routes under /api/mp and the subscribe-message worker. */
export function mpModule(infra: Infrastructure, options: MpModuleOptions): MpModule {
  const { config } = options;
  // The WeChat API at MP_API_BASE, when MP_APP_ID and MP_APP_SECRET are set.
  const wechat = infra.env.MP_APP_ID && infra.env.MP_APP_SECRET ? WechatMpClient.fromEnv(infra.env, infra.redis, infra.logger) : undefined;

  return {
    residents: options.residents,
    routers() {
      const prefix = infra.env.QUEUE_PREFIX;
      const media = options.media ?? new LocalDiskMediaStorage(infra.env.MEDIA_DIR);
      const decodeQueue = options.decodeQueue ?? new DecodeQueue({ concurrency: infra.env.PHOTO_DECODE_CONCURRENCY, maxWaiting: infra.env.PHOTO_DECODE_QUEUE });
      return mpRouters({
        config,
        schemas: requestSchemas(config),
        sessions: new SessionStore(infra.redis, prefix, config.session.ttlSeconds),
        limiter: new RateLimiter(infra.redis, prefix),
        login: wechat,
        residents: residentModel(infra.mongo),
        residentCases: residentCaseModel(infra.mongo),
        subscriptions: residentSubscriptionModel(infra.mongo),
        media,
        signer: new MediaUrlSigner(infra.redis, prefix, config.photos.urlTtlSeconds),
        uploads: new PhotoUploads(infra.redis, prefix, media, config.photos.maxPixels, decodeQueue, new PixelBudget(infra.redis, prefix, config.photos.pixelBudget)),
        idempotency: new ReportIdempotency(infra.redis, prefix),
        cases: lifecycleGateway(options.lifecycle),
        org: infra.org,
        district: mpDistrictFrom(loadDistrictSeed(infra.env.DISTRICT_CONFIG)),
        clock: () => new Date(),
        publicBaseUrl: () => publicBaseUrl(infra),
        logger: infra.logger.child({ module: 'mp' }),
      });
    },
    async startWorkers(): Promise<Closeable[]> {
      if (!wechat) {
        infra.logger.warn('MP_APP_ID / MP_APP_SECRET not set: resident subscribe messages stay queued until they are');
        return [];
      }
      const worker = createMpOutboxWorker({
        connection: bullConnectionFor(infra),
        prefix: infra.env.QUEUE_PREFIX,
        send: (message) => wechat.sendSubscribeMessage(message),
        logger: infra.logger.child({ module: 'mp-outbox' }),
      });
      return [{ name: 'mini-program outbox worker', close: () => worker.close() }];
    },
  };
}
