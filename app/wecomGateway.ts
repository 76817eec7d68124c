import type Router from '@koa/router';
import { WecomApiClient } from '../bots/wecom/apiClient';
import { createWecomCallbackRouter } from '../bots/wecom/callbackRouter';
import { LocalDiskMediaStorage, type MediaStorage } from '../bots/wecom/mediaStorage';
import { QueueFirstAcceptor } from '../jobs/inbound/acceptors';
import { InboundDispatcher } from '../jobs/inbound/dispatcher';
import { InboundEventStore } from '../jobs/inbound/eventStore';
import { InboundQueue } from '../jobs/inbound/queue';
import { createInboundWorker } from '../jobs/inbound/worker';
import { bullConnection } from '../jobs/outbox/connection';
import { outboxWorkerFromEnv } from '../jobs/outbox/fromEnv';
import type { Closeable } from './closeables';
import type { AppModule, Infrastructure } from './runtime';

export interface WecomGateway extends AppModule {
  /** Where the other modules register their listeners (worker role), before the inbound worker starts. */
  dispatcher(infra: Infrastructure): InboundDispatcher;
  client(infra: Infrastructure): WecomApiClient;
  media(infra: Infrastructure): MediaStorage;
}

interface Parts {
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
 * Worker role: the inbound worker (dispatching to listeners) and the outbox worker (sending).
 * It must come last in the module list, so every listener is registered before events flow.
 */
export function wecomGatewayModule(): WecomGateway {
  const parts = new WeakMap<Infrastructure, Parts>();
  const partsFor = (infra: Infrastructure): Parts => {
    const existing = parts.get(infra);
    if (existing) return existing;
    const created: Parts = {
      dispatcher: new InboundDispatcher(infra.logger.child({ component: 'inbound-dispatcher' })),
      client: WecomApiClient.fromEnv(infra.env, infra.redis, infra.logger),
      media: new LocalDiskMediaStorage(infra.env.MEDIA_DIR),
    };
    parts.set(infra, created);
    return created;
  };

  const inboundQueue = (infra: Infrastructure): InboundQueue => {
    const queue = new InboundQueue({ connection: bullConnection(infra.env.REDIS_URL), prefix: infra.env.QUEUE_PREFIX });
    infra.closeables.push({ name: 'inbound queue', close: () => queue.close() });
    return queue;
  };

  return {
    dispatcher: (infra) => partsFor(infra).dispatcher,
    client: (infra) => partsFor(infra).client,
    media: (infra) => partsFor(infra).media,

    routers(infra): Router[] {
      const { env } = infra;
      return [
        createWecomCallbackRouter({
          config: {
            ...secretsFrom(infra),
            maxBodyBytes: env.WECOM_CALLBACK_MAX_BYTES,
            timestampWindowSeconds: env.WECOM_TIMESTAMP_WINDOW_SECONDS,
            refusalDelayMs: env.WECOM_REFUSAL_DELAY_MS,
          },
          logger: infra.logger,
          inbound: new QueueFirstAcceptor(inboundQueue(infra), infra.redis),
        }),
      ];
    },

    async startWorkers(infra): Promise<Closeable[]> {
      const { dispatcher, client } = partsFor(infra);
      const inbound = createInboundWorker({
        connection: bullConnection(infra.env.REDIS_URL),
        redis: infra.redis,
        prefix: infra.env.QUEUE_PREFIX,
        store: new InboundEventStore(infra.mongo),
        dispatcher,
        logger: infra.logger,
      });
      const outbox = outboxWorkerFromEnv(infra.env, { client, redis: infra.redis, logger: infra.logger });
      return [
        { name: 'outbox worker', close: () => outbox.close() },
        { name: 'inbound worker', close: () => inbound.close() },
      ];
    },
  };
}
