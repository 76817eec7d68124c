import type { Closeable } from '../../app/closeables';
import type { AppModule, Infrastructure } from '../../app/runtime';
import type { CaseChangeSubscriber } from '../../commands/caseSubscribers';
import { sharedCachedOrg } from '../../commands/cachedOrg';
import { loadHotlineWebhooks, type HotlineWebhooks } from '../../config/hotlineWebhooks';
import { createHotlineWebhookOutbox, type HotlineWebhookOutbox } from '../../jobs/hotline-webhook/queue';
import { createHotlineWebhookWorker } from '../../jobs/hotline-webhook/worker';
import { bullConnection } from '../../jobs/outbox/connection';
import { HotlineOrderRepository } from '../../store/hotlineOrderRepository';
import { hotlineProgressSubscriber } from './progressSubscriber';

export interface HotlineProgressModule extends AppModule {
  /** The case-change subscriber that queues the pushes; none when no platform is configured. */
  subscribers(infra: Infrastructure): CaseChangeSubscriber[];
  /** The platforms configured (HOTLINE_WEBHOOKS_CONFIG), for the order API to check an order's platform. */
  platformIds(infra: Infrastructure): string[];
}

interface Built {
  webhooks: HotlineWebhooks;
  outbox: HotlineWebhookOutbox;
}

/**
 * The hotline told of progress: a subscriber of case changes queues signed pushes (both roles
 * change cases), and the worker role runs one webhook worker per platform with its own limiter.
 */
export function hotlineProgressModule(rawEnv: Record<string, string | undefined> = process.env): HotlineProgressModule {
  const built = new WeakMap<Infrastructure, Built | null>();
  const build = (infra: Infrastructure): Built | null => {
    if (built.has(infra)) return built.get(infra) ?? null;
    const webhooks = loadHotlineWebhooks(infra.env.HOTLINE_WEBHOOKS_CONFIG, rawEnv);
    const value = webhooks ? { webhooks, outbox: createHotlineWebhookOutbox({ connection: bullConnection(infra.env.REDIS_URL), prefix: infra.env.QUEUE_PREFIX, platforms: webhooks.platforms }) } : null;
    if (value) infra.closeables.push({ name: 'hotline webhook queues', close: () => value.outbox.close() });
    built.set(infra, value);
    return value;
  };
  return {
    subscribers(infra) {
      const value = build(infra);
      if (!value) return [];
      const deps = { orders: new HotlineOrderRepository(infra.mongo), org: sharedCachedOrg(infra), outbox: value.outbox, webhooks: value.webhooks, logger: infra.logger.child({ module: 'hotline-progress' }) };
      return [hotlineProgressSubscriber(deps)];
    },
    platformIds: (infra) => build(infra)?.webhooks.platforms.map((p) => p.id) ?? [],
    async startWorkers(infra) {
      const value = build(infra);
      if (!value) return [];
      return value.webhooks.platforms.map((platform): Closeable => {
        const worker = createHotlineWebhookWorker({ connection: bullConnection(infra.env.REDIS_URL), prefix: infra.env.QUEUE_PREFIX, platform, logger: infra.logger });
        return { name: `hotline webhook worker ${platform.id}`, close: () => worker.close() };
      });
    },
  };
}
