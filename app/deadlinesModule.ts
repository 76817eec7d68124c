import type { DeadlineSync } from '../commands/deps';
import { loadSlaConfig } from '../config/sla';
import { createDeadlineEngine } from '../jobs/deadlines/engine';
import { MongoDeadlineCaseStore } from '../jobs/deadlines/mongoCaseStore';
import { OutboxDeadlineNotifier } from '../jobs/deadlines/outboxNotifier';
import type { DeadlineRules } from '../jobs/deadlines/plan';
import { bullConnectionFor } from '../jobs/outbox/connection';
import { outboxFromEnv } from '../jobs/outbox/fromEnv';
import { calendarFor } from '../src/sla/defaults';
import type { CaseRepository } from '../store/caseRepository';
import { runsWorkers, type Infrastructure } from './runtime';

/**
 * Deadlines on BullMQ, through the one deadline engine (jobs/deadlines/engine.ts): every role
 * schedules (the web role creates cases too); the worker role also runs the deadline worker and
 * the repeatable sweeper that rebuilds lost timers from the store.
 */
export async function deadlinesModule(infra: Infrastructure, options: { cases: CaseRepository; sweepEveryMs?: number }): Promise<DeadlineSync> {
  const config = loadSlaConfig(infra.env.SLA_CONFIG);
  const rules: DeadlineRules = { config, calendar: calendarFor(config) };
  const outbox = runsWorkers(infra.env) ? outboxFromEnv(infra) : undefined;
  if (outbox) infra.closeables.push({ name: 'deadline outbox', close: () => outbox.close() });
  const engine = await createDeadlineEngine({
    connection: bullConnectionFor(infra),
    redis: infra.redis,
    prefix: infra.env.QUEUE_PREFIX,
    rules: () => rules,
    logger: infra.logger.child({ component: 'deadlines' }),
    ...(outbox && {
      workers: {
        store: new MongoDeadlineCaseStore(infra.mongo, options.cases),
        notifier: new OutboxDeadlineNotifier({ outbox, org: infra.org, timeZone: config.timeZone }),
        sweepEveryMs: options.sweepEveryMs ?? 60_000,
        lockDurationMs: infra.env.QUEUE_LOCK_MS,
        stalledIntervalMs: infra.env.QUEUE_LOCK_MS,
      },
    }),
  });
  infra.closeables.push({ name: 'deadlines (sweeper, worker, queue)', close: () => engine.close() });
  return engine.sync;
}
