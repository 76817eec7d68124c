import type Router from '@koa/router';
import { WecomApiClient } from '../bots/wecom/apiClient';
import { createWecomCallbackRouter } from '../bots/wecom/callbackRouter';
import { LocalDiskMediaStorage, type MediaStorage } from '../bots/wecom/mediaStorage';
import { QueueFirstAcceptor } from '../jobs/inbound/acceptors';
import { InboundDispatcher } from '../jobs/inbound/dispatcher';
import { InboundEventStore } from '../jobs/inbound/eventStore';
import { InboundQueue } from '../jobs/inbound/queue';
import { createInboundWorker } from '../jobs/inbound/worker';
import { bullConnectionFor } from '../jobs/outbox/connection';
import { outboxWorkerFromEnv } from '../jobs/outbox/fromEnv';
import type { Closeable } from './closeables';
import type { AppModule, Infrastructure } from './runtime';

export interface WecomGateway extends AppModule {
  /** Where the other modules register their listeners (worker role); events flow once every module has started. */
  dispatcher: InboundDispatcher;
  client: WecomApiClient;
  media: MediaStorage;
}

function secretsFrom(infra: Infrastructure) {
  const { WECOM_TOKEN, WECOM_ENCODING_AES_KEY, WECOM_CORP_ID } = infra.env;
  if (!WECOM_TOKEN || !WECOM_ENCODING_AES_KEY || !WECOM_CORP_ID) {
    throw new Error('WeChat Work is not configured: set WECOM_CORP_ID, WECOM_TOKEN and WECOM_ENCODING_AES_KEY (or leave WECOM_CORP_ID unset for the sandbox)');
  }
  return { token: WECOM_TOKEN, encodingAesKey: WECOM_ENCODING_AES_KEY, corpId: WECOM_CORP_ID };
}

/**
 * WeChat Work in and out. Web role: the callback URL, which verifies, queues and answers at once.
 * Worker role: the outbox worker (sending) and, once every module has registered its listeners
 * (`startReceiving`), the inbound worker dispatching to them.
 */
export function wecomGateway(infra: Infrastructure): WecomGateway {
  const { env, logger } = infra;
  const dispatcher = new InboundDispatcher(logger.child({ component: 'inbound-dispatcher' }));
  const client = WecomApiClient.fromEnv(env, infra.redis, logger);
  return {
    dispatcher,
    client,
    media: new LocalDiskMediaStorage(env.MEDIA_DIR),

    routers(): Router[] {
      const queue = new InboundQueue({ connection: bullConnectionFor(infra), prefix: env.QUEUE_PREFIX });
      infra.closeables.push({ name: 'inbound queue', close: () => queue.close() });
      return [
        createWecomCallbackRouter({
          config: {
            ...secretsFrom(infra),
            maxBodyBytes: env.WECOM_CALLBACK_MAX_BYTES,
            timestampWindowSeconds: env.WECOM_TIMESTAMP_WINDOW_SECONDS,
            refusalDelayMs: env.WECOM_REFUSAL_DELAY_MS,
          },
          logger,
          inbound: new QueueFirstAcceptor(queue, infra.redis),
        }),
      ];
    },

    async startWorkers(): Promise<Closeable[]> {
      const outbox = outboxWorkerFromEnv(env, { client, redis: infra.redis, logger });
      return [{ name: 'outbox worker', close: () => outbox.close() }];
    },

    async startReceiving(): Promise<Closeable[]> {
      const inbound = createInboundWorker({
        connection: bullConnectionFor(infra),
        redis: infra.redis,
        prefix: env.QUEUE_PREFIX,
        store: new InboundEventStore(infra.mongo),
        dispatcher,
        logger,
        lockMs: env.QUEUE_LOCK_MS,
      });
      return [{ name: 'inbound worker', close: () => inbound.close() }];
    },
  };
}
