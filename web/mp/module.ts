import type { LifecycleDeps } from '../../commands/deps';
import { publicBaseUrl, type Infrastructure, type AppModule } from '../../app/runtime';
import type { Closeable } from '../../app/closeables';
import { WechatMpClient, type SubscribeMessage } from '../../bots/wechat-mp/client';
import { createResidentNotifier, type ResidentNotifier } from '../../bots/wechat-mp/residentNotifier';
import type { ResidentMilestoneNotifier } from '../../bots/wecom/lifecycle/ports';
import { LocalDiskMediaStorage, type MediaStorage } from '../../bots/wecom/mediaStorage';
import { loadDistrictSeed } from '../../config/district';
import { loadMpConfig, type MpConfig, type ResidentMilestone } from '../../config/mp';
import { bullConnection } from '../../jobs/outbox/connection';
import { createMpOutbox, createMpOutboxWorker, type MpOutbox } from '../../jobs/mp-outbox';
import type { Case } from '../../src/cases';
import { residentModel } from '../../store/models/resident';
import { residentCaseModel } from '../../store/models/residentCase';
import { residentSubscriptionModel } from '../../store/models/residentSubscription';
import { lifecycleGateway } from './caseGateway';
import { mpDistrictFrom } from './district';
import { DecodeQueue } from './decodeQueue';
import { ReportIdempotency } from './idempotency';
import { MediaUrlSigner } from './mediaUrls';
import { PhotoUploads } from './photoUploads';
import { PixelBudget } from './pixelBudget';
import { RateLimiter } from '../rateLimit';
import { mpRouters } from './router';
import { requestSchemas } from './schemas';
import type { LoginExchange, MpServices } from './services';
import { SessionStore } from './session';

export interface MpModuleOptions {
  /** The case lifecycle this process runs (the same deps the WeCom side uses). */
  lifecycle(infra: Infrastructure): LifecycleDeps;
  /** Defaults to config/mp.json. */
  config?: MpConfig;
  /** Defaults to local disk under MEDIA_DIR. */
  media?(infra: Infrastructure): MediaStorage;
  /** Defaults to the WeChat API at MP_API_BASE when MP_APP_ID and MP_APP_SECRET are set. */
  wechat?(infra: Infrastructure): (LoginExchange & { sendSubscribeMessage(message: SubscribeMessage): Promise<void> }) | undefined;
  /** Defaults to PHOTO_DECODE_CONCURRENCY decoders with PHOTO_DECODE_QUEUE places to wait. */
  decodeQueue?(infra: Infrastructure): DecodeQueue;
}

export interface MpModule extends AppModule {
  /** For the WeCom lifecycle notifier's `residents` port: queues the subscribe message of a milestone. */
  residentNotifier(infra: Infrastructure): ResidentNotifier;
  /** Exactly the WeCom lifecycle notifier's `residents` port: pass it as `createWecomLifecycle({ residents })`. */
  notifyResidentMilestone(infra: Infrastructure): ResidentMilestoneNotifier;
}

/** One value per Infrastructure (a process has one; tests may start several). */
function perInfra<T>(build: (infra: Infrastructure) => T): (infra: Infrastructure) => T {
  const cache = new WeakMap<Infrastructure, T>();
  return (infra) => {
    let value = cache.get(infra);
    if (value === undefined) {
      value = build(infra);
      cache.set(infra, value);
    }
    return value;
  };
}

/** The residents' mini-program back end: JSON routes under /api/mp and the subscribe-message worker. */
export function mpModule(options: MpModuleOptions): MpModule {
  const config = options.config ?? loadMpConfig();

  const wechat = perInfra((infra) =>
    options.wechat ? options.wechat(infra) : infra.env.MP_APP_ID && infra.env.MP_APP_SECRET ? WechatMpClient.fromEnv(infra.env, infra.redis, infra.logger) : undefined,
  );

  const outbox = perInfra((infra): MpOutbox => {
    const created = createMpOutbox({ connection: bullConnection(infra.env.REDIS_URL), prefix: infra.env.QUEUE_PREFIX, attempts: config.subscribe.attempts, backoffMs: config.subscribe.backoffMs });
    infra.closeables.push({ name: 'mini-program outbox queue', close: () => created.close() });
    return created;
  });

  const residentNotifier = perInfra((infra) =>
    createResidentNotifier({ config: config.subscribe, outbox: outbox(infra), subscriptions: residentSubscriptionModel(infra.mongo), logger: infra.logger }),
  );

  const services = perInfra((infra): MpServices => {
    const prefix = infra.env.QUEUE_PREFIX;
    const media = options.media ? options.media(infra) : new LocalDiskMediaStorage(infra.env.MEDIA_DIR);
    return {
      config,
      schemas: requestSchemas(config),
      sessions: new SessionStore(infra.redis, prefix, config.session.ttlSeconds),
      limiter: new RateLimiter(infra.redis, prefix),
      login: wechat(infra),
      residents: residentModel(infra.mongo),
      residentCases: residentCaseModel(infra.mongo),
      subscriptions: residentSubscriptionModel(infra.mongo),
      media,
      signer: new MediaUrlSigner(infra.redis, prefix, config.photos.urlTtlSeconds),
      uploads: new PhotoUploads(
        infra.redis,
        prefix,
        media,
        config.photos.maxPixels,
        options.decodeQueue ? options.decodeQueue(infra) : new DecodeQueue({ concurrency: infra.env.PHOTO_DECODE_CONCURRENCY, maxWaiting: infra.env.PHOTO_DECODE_QUEUE }),
        new PixelBudget(infra.redis, prefix, config.photos.pixelBudget),
      ),
      idempotency: new ReportIdempotency(infra.redis, prefix),
      cases: lifecycleGateway(options.lifecycle(infra)),
      org: infra.org,
      district: mpDistrictFrom(loadDistrictSeed(infra.env.DISTRICT_CONFIG)),
      clock: () => new Date(),
      publicBaseUrl: () => publicBaseUrl(infra),
      logger: infra.logger.child({ module: 'mp' }),
    };
  });

  return {
    routers: (infra) => mpRouters(services(infra)),
    async startWorkers(infra): Promise<Closeable[]> {
      const client = wechat(infra);
      if (!client) {
        infra.logger.warn('MP_APP_ID / MP_APP_SECRET not set: resident subscribe messages stay queued until they are');
        return [];
      }
      const worker = createMpOutboxWorker({
        connection: bullConnection(infra.env.REDIS_URL),
        prefix: infra.env.QUEUE_PREFIX,
        send: (message) => client.sendSubscribeMessage(message),
        logger: infra.logger.child({ module: 'mp-outbox' }),
      });
      return [{ name: 'mini-program outbox worker', close: () => worker.close() }];
    },
    residentNotifier,
    notifyResidentMilestone: (infra) => {
      const notifier = residentNotifier(infra);
      return async (c: Case, milestone: ResidentMilestone) => void (await notifier.notifyResidentMilestone(c, milestone));
    },
  };
}
