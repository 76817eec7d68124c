import { registerLifecycleListeners } from '../bots/wecom/lifecycle/listeners';
import type { ResidentMilestoneNotifier } from '../bots/wecom/lifecycle/ports';
import { plannerFromSlaFile } from '../bots/wecom/lifecycle/slaPlanner';
import { createWecomLifecycle, type WecomLifecycle } from '../bots/wecom/lifecycle/wiring';
import { caseStoreFrom } from '../commands/caseStore';
import { lifecycleConfig } from '../commands/config';
import type { CaseChangeSubscriber } from '../commands/caseSubscribers';
import type { DeadlineSync, LifecycleConfig, LifecycleDeps, OrgDirectory } from '../commands/deps';
import { loadDistrictSeed } from '../config/district';
import { loadRoutingTable } from '../config/routing';
import type { InboundDispatcher } from '../jobs/inbound/dispatcher';
import { createPlaceKeyPruner } from '../jobs/housekeeping/placeKeyPruner';
import { bullConnectionFor } from '../jobs/outbox/connection';
import { outboxFromEnv } from '../jobs/outbox/fromEnv';
import type { CaseRepository } from '../store/caseRepository';
import { RedisPendingEffects } from '../store/pendingEffects';
import { recoverPendingEffects } from '../commands/recoverEffects';
import { createPeriodicJob } from '../jobs/periodic/periodicJob';
import type { AppModule, Infrastructure } from './runtime';

export interface LifecycleModuleOptions {
  /** The process's one case repository (built in the composition root). */
  cases: CaseRepository;
  /** The deadline engine's sync (`deadlinesModule`): timers follow every transition. */
  deadlines: DeadlineSync;
  /** The inbound worker's dispatcher, where card taps arrive (worker role). */
  dispatcher?: InboundDispatcher;
  /** The organisation as every notification reads it (`cachedOrg` of the runtime's). */
  org: OrgDirectory;
  /** Residents' milestones through the mini-program (`residentsNotifier`). */
  residents?: ResidentMilestoneNotifier;
  /** Everything else told of every case change (hotline pushes, parser examples, the command centre's feed). */
  subscribers?: CaseChangeSubscriber[];
  /** Defaults: ROUTING_CONFIG routing, SLA_CONFIG deadlines. */
  config?: LifecycleConfig;
  /** What "now" is for every case change and card; the wall clock unless the composition root is given one. */
  clock?: () => Date;
}

export interface LifecycleModule extends AppModule {
  /** The lifecycle of this process: one, which the conversation, the mini-program, the hotline, Open311 and the command centre share. */
  lifecycle: WecomLifecycle;
  deps: LifecycleDeps;
}

/**
 * The closed loop in the app: one lifecycle (both roles change cases), and in the worker role the
 * card tap listener, the one-time filings of older cases and the hourly duplicate-key pruning.
 */
export function lifecycleModule(infra: Infrastructure, options: LifecycleModuleOptions): LifecycleModule {
  const districtId = loadDistrictSeed(infra.env.DISTRICT_CONFIG).district.id;
  const repository = options.cases;
  const outbox = outboxFromEnv(infra);
  infra.closeables.push({ name: 'lifecycle outbox', close: () => outbox.close() });
  const pendingEffects = new RedisPendingEffects(infra.redis, infra.env.QUEUE_PREFIX);
  const lifecycle = createWecomLifecycle({
    mongo: infra.mongo,
    cases: caseStoreFrom(repository, districtId),
    org: options.org,
    outbox,
    deadlines: options.deadlines,
    config: options.config ?? lifecycleConfig({ routing: loadRoutingTable(infra.env.ROUTING_CONFIG), plan: plannerFromSlaFile(infra.env.SLA_CONFIG) }),
    logger: infra.logger,
    ...(options.residents !== undefined && { residents: options.residents }),
    subscribers: options.subscribers ?? [],
    pendingEffects,
    ...(options.clock !== undefined && { clock: options.clock }),
  });

  return {
    lifecycle,
    deps: lifecycle.deps,
    async startWorkers() {
      await lifecycle.cards.init();
      const log = infra.logger.child({ component: 'case-keys' });
      const filed = await repository.fileOpenCasesOnce((n) => log.info({ filed: n }, 'filing open cases under duplicate and number keys…'));
      if (filed > 0) log.info({ filed }, 'open cases stored before this version filed under duplicate and number keys');
      const openKeys = await repository.fileOpenKeysOnce((n) => log.info({ filed: n }, 'filing open cases in the open-case keys (once)…'));
      if (openKeys > 0) log.info({ filed: openKeys }, 'open cases stored before this version filed in the open-case keys (the sweeper walks them)');
      const byReporter = await repository.fileReportersOnce((n) => log.info({ filed: n }, 'filing stored cases under their reporters (once)…'));
      if (byReporter > 0) log.info({ filed: byReporter }, 'cases stored before this version filed under their reporters');
      const rolledUp = await repository.rollUpStatsOnce((n) => log.info({ read: n }, 'rolling up the stored cases\' figures by day (once)…'));
      if (rolledUp > 0) log.info({ cases: rolledUp }, 'department figures of the stored cases rolled up by day');
      if (options.dispatcher) registerLifecycleListeners(options.dispatcher, lifecycle);
      else infra.logger.warn('no inbound dispatcher wired: lifecycle card taps will not be handled');
      const rule = lifecycle.deps.config.duplicates;
      const pruner = createPlaceKeyPruner({ connection: bullConnectionFor(infra), prefix: infra.env.QUEUE_PREFIX, prune: (now) => repository.prunePlaceKeys(now, rule), logger: log });
      await pruner.ensureScheduled();
      // A change whose effects have not run within QUEUE_LOCK_MS lost its process: one worker runs them.
      const lockMs = infra.env.QUEUE_LOCK_MS;
      const recovery = createPeriodicJob({
        connection: bullConnectionFor(infra),
        prefix: infra.env.QUEUE_PREFIX,
        queueName: 'pending-effects',
        schedulerId: 'pending-effects-recovery',
        everyMs: lockMs,
        run: () => recoverPendingEffects(lifecycle.deps, pendingEffects, lockMs, infra.logger.child({ component: 'pending-effects' })),
        what: 'recovery of side effects left by a stopped process',
        logger: infra.logger,
      });
      await recovery.ensureScheduled();
      return [
        { name: 'duplicate-key pruner', close: () => pruner.close() },
        { name: 'side-effect recovery', close: () => recovery.close() },
      ];
    },
  };
}
