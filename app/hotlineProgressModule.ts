import { hotlineProgressSubscriber } from '../bots/hotline/progressSubscriber';
import type { CaseChangeSubscriber } from '../commands/caseSubscribers';
import type { OrgDirectory } from '../commands/deps';
import { loadHotlineWebhooks } from '../config/hotlineWebhooks';
import { createHotlineWebhookOutbox } from '../jobs/hotline-webhook/queue';
import { createHotlineWebhookWorker } from '../jobs/hotline-webhook/worker';
import { bullConnectionFor } from '../jobs/outbox/connection';
import { HotlineOrderRepository } from '../store/hotlineOrderRepository';
import type { Closeable } from './closeables';
import type { AppModule, Infrastructure } from './runtime';

export interface HotlineProgressModule extends AppModule {
  /** The case-change subscriber that queues the pushes; none when no platform is configured. */
  subscribers: CaseChangeSubscriber[];
  /** The platforms configured (HOTLINE_WEBHOOKS_CONFIG), for the order API to check an order's platform. */
  platformIds: string[];
}

/**
 * The hotline told of progress: a subscriber of case changes queues signed pushes (both roles
 * change cases), and the worker role runs one webhook worker per platform with its own limiter.
 */
export function hotlineProgressModule(infra: Infrastructure, org: OrgDirectory, rawEnv: Record<string, string | undefined> = process.env): HotlineProgressModule {
  const webhooks = loadHotlineWebhooks(infra.env.HOTLINE_WEBHOOKS_CONFIG, rawEnv);
  if (!webhooks) return { subscribers: [], platformIds: [] };
  const outbox = createHotlineWebhookOutbox({ connection: bullConnectionFor(infra), prefix: infra.env.QUEUE_PREFIX, platforms: webhooks.platforms });
  infra.closeables.push({ name: 'hotline webhook queues', close: () => outbox.close() });
  const orders = new HotlineOrderRepository(infra.mongo);
  return {
    subscribers: [hotlineProgressSubscriber({ orders, org, outbox, webhooks, logger: infra.logger.child({ module: 'hotline-progress' }) })],
    platformIds: webhooks.platforms.map((p) => p.id),
    async startWorkers() {
      return webhooks.platforms.map((platform): Closeable => {
        const worker = createHotlineWebhookWorker({ connection: bullConnectionFor(infra), prefix: infra.env.QUEUE_PREFIX, platform, logger: infra.logger });
        return { name: `hotline webhook worker ${platform.id}`, close: () => worker.close() };
      });
    },
  };
}
