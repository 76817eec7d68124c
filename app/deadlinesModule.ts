import { Queue } from 'bullmq';
import type { DeadlineSync } from '../commands/deps';
import { loadSlaConfig } from '../config/sla';
import { DEADLINE_QUEUE_NAME } from '../jobs/deadlines/names';
import { MongoDeadlineCaseStore } from '../jobs/deadlines/mongoCaseStore';
import { OutboxDeadlineNotifier } from '../jobs/deadlines/outboxNotifier';
import type { DeadlineRules } from '../jobs/deadlines/plan';
import { DeadlineScheduler, type DeadlineJobData } from '../jobs/deadlines/scheduler';
import { createDeadlineSweeper, markForResync } from '../jobs/deadlines/sweeper';
import { createDeadlineWorker } from '../jobs/deadlines/worker';
import { bullConnection } from '../jobs/outbox/connection';
import { outboxFromEnv } from '../jobs/outbox/fromEnv';
import { calendarFor } from '../src/sla/defaults';
import type { AppModule, Infrastructure } from './runtime';

export interface DeadlinesModule extends AppModule {
  /** What the lifecycle calls after every transition (both roles schedule; only workers fire). */
  sync(infra: Infrastructure): DeadlineSync;
}

interface Parts {
  rules: DeadlineRules;
  scheduler: DeadlineScheduler;
}

/**
 * Deadlines on BullMQ: every role can schedule (the web role creates cases too); the worker role
 * also runs the deadline worker and the repeatable sweeper that rebuilds lost timers from MongoDB.
 */
export function deadlinesModule(options: { sweepEveryMs?: number } = {}): DeadlinesModule {
  const parts = new WeakMap<Infrastructure, Parts>();
  const partsFor = (infra: Infrastructure): Parts => {
    const existing = parts.get(infra);
    if (existing) return existing;
    const config = loadSlaConfig(infra.env.SLA_CONFIG);
    const rules: DeadlineRules = { config, calendar: calendarFor(config) };
    const queue = new Queue<DeadlineJobData>(DEADLINE_QUEUE_NAME, { connection: bullConnection(infra.env.REDIS_URL), prefix: infra.env.QUEUE_PREFIX });
    infra.closeables.push({ name: 'deadline queue', close: () => queue.close() });
    const created = { rules, scheduler: new DeadlineScheduler({ queue, redis: infra.redis, rules: () => rules }) };
    parts.set(infra, created);
    return created;
  };

  return {
    sync: (infra) => {
      const { scheduler } = partsFor(infra);
      return {
        syncCase: async (c) => {
          try {
            await scheduler.syncCase(c);
          } catch (error) {
            // The next periodic sweep (a minute at most) syncs it again; if Redis itself is gone, the full sweep after it comes back does.
            await markForResync(infra.redis, infra.env.QUEUE_PREFIX, c.id).catch(() => undefined);
            throw error;
          }
        },
      };
    },
    async startWorkers(infra) {
      const { rules, scheduler } = partsFor(infra);
      const connection = bullConnection(infra.env.REDIS_URL);
      const prefix = infra.env.QUEUE_PREFIX;
      const store = new MongoDeadlineCaseStore(infra.mongo);
      const outbox = outboxFromEnv(infra.env);
      const logger = infra.logger.child({ component: 'deadlines' });
      const notifier = new OutboxDeadlineNotifier({ outbox, org: infra.org, timeZone: rules.config.timeZone });
      const worker = createDeadlineWorker({ connection, prefix, store, notifier, rules: () => rules, logger });
      const sweeper = createDeadlineSweeper({ connection, redis: infra.redis, prefix, store, scheduler, everyMs: options.sweepEveryMs ?? 60_000, logger });
      await sweeper.ensureScheduled();
      return [
        { name: 'deadline outbox', close: () => outbox.close() },
        { name: 'deadline worker', close: () => worker.close() },
        { name: 'deadline sweeper', close: () => sweeper.close() },
      ];
    },
  };
}
