import type { Closeable } from '../../../app/closeables';
import type { AppModule, Infrastructure } from '../../../app/runtime';
import { sharedCachedOrg } from '../../../commands/cachedOrg';
import { caseStoreFrom } from '../../../commands/caseStore';
import { lifecycleConfig } from '../../../commands/config';
import type { CaseChangeSubscriber } from '../../../commands/caseSubscribers';
import type { DeadlineSync, LifecycleConfig, LifecycleDeps } from '../../../commands/deps';
import { loadDistrictSeed } from '../../../config/district';
import type { InboundDispatcher } from '../../../jobs/inbound/dispatcher';
import { createPlaceKeyPruner } from '../../../jobs/housekeeping/placeKeyPruner';
import { bullConnection } from '../../../jobs/outbox/connection';
import { outboxFromEnv } from '../../../jobs/outbox/fromEnv';
import { CaseRepository } from '../../../store/caseRepository';
import { registerLifecycleListeners } from './listeners';
import type { ResidentMilestoneNotifier } from './ports';
import { plannerFromSlaFile } from './slaPlanner';
import { createWecomLifecycle, type WecomLifecycle } from './wiring';

export interface LifecycleModuleOptions {
  /** The deadline engine's scheduler (`jobs/deadlines`): timers follow every transition. */
  deadlines(infra: Infrastructure): DeadlineSync;
  /** The inbound worker's dispatcher, where card taps arrive (worker role). */
  dispatcher?(infra: Infrastructure): InboundDispatcher | undefined;
  /** Residents' milestones through the mini-program (`mpModule(...).notifyResidentMilestone`). */
  residents?(infra: Infrastructure): ResidentMilestoneNotifier;
  /** Outside platforms told of every case change (the hotline's progress pushes). */
  subscribers?(infra: Infrastructure): CaseChangeSubscriber[];
  /** Defaults: config/routing.json, SLA_CONFIG deadlines. */
  config?: LifecycleConfig;
}

export interface LifecycleModule extends AppModule {
  /** The lifecycle of this process (one per Infrastructure): deps for the conversation and the mini-program. */
  lifecycle(infra: Infrastructure): WecomLifecycle;
  deps(infra: Infrastructure): LifecycleDeps;
}

interface Built {
  lifecycle: WecomLifecycle;
  repository: CaseRepository;
  districtId: string;
  closeables: Closeable[];
}

/**
 * The closed loop in the app: the card tap listener and the hourly duplicate-key pruning (worker
 * role), around one lifecycle per Infrastructure that the other modules reuse.
 */
export function lifecycleModule(options: LifecycleModuleOptions): LifecycleModule {
  const built = new WeakMap<Infrastructure, Built>();

  const build = (infra: Infrastructure): Built => {
    const existing = built.get(infra);
    if (existing) return existing;
    const districtId = loadDistrictSeed(infra.env.DISTRICT_CONFIG).district.id;
    const repository = new CaseRepository(infra.mongo);
    const outbox = outboxFromEnv(infra.env);
    const residents = options.residents?.(infra);
    const subscribers = options.subscribers?.(infra) ?? [];
    const lifecycle = createWecomLifecycle({
      mongo: infra.mongo,
      cases: caseStoreFrom(repository, districtId),
      org: sharedCachedOrg(infra),
      outbox,
      deadlines: options.deadlines(infra),
      config: options.config ?? lifecycleConfig({ plan: plannerFromSlaFile(infra.env.SLA_CONFIG) }),
      logger: infra.logger,
      ...(residents !== undefined && { residents }),
      subscribers,
    });
    const value: Built = { lifecycle, repository, districtId, closeables: [{ name: 'lifecycle outbox', close: () => outbox.close() }] };
    built.set(infra, value);
    infra.closeables.push(...value.closeables);
    return value;
  };

  return {
    lifecycle: (infra) => build(infra).lifecycle,
    deps: (infra) => build(infra).lifecycle.deps,
    async startWorkers(infra) {
      const { lifecycle, repository } = build(infra);
      await lifecycle.cards.init();
      const log = infra.logger.child({ component: 'case-keys' });
      const filed = await repository.fileOpenCasesOnce((n) => log.info({ filed: n }, 'filing open cases under duplicate and number keys…'));
      if (filed > 0) log.info({ filed }, 'open cases stored before this version filed under duplicate and number keys');
      const byReporter = await repository.fileReportersOnce((n) => log.info({ filed: n }, 'filing stored cases under their reporters (once)…'));
      if (byReporter > 0) log.info({ filed: byReporter }, 'cases stored before this version filed under their reporters');
      const rolledUp = await repository.rollUpStatsOnce((n) => log.info({ read: n }, 'rolling up the stored cases\' figures by day (once)…'));
      if (rolledUp > 0) log.info({ cases: rolledUp }, 'department figures of the stored cases rolled up by day');
      const dispatcher = options.dispatcher?.(infra);
      if (!dispatcher) infra.logger.warn('no inbound dispatcher wired: lifecycle card taps will not be handled');
      if (dispatcher) registerLifecycleListeners(dispatcher, lifecycle);
      const rule = lifecycle.deps.config.duplicates;
      const pruner = createPlaceKeyPruner({ connection: bullConnection(infra.env.REDIS_URL), prefix: infra.env.QUEUE_PREFIX, prune: (now) => repository.prunePlaceKeys(now, rule), logger: log });
      await pruner.ensureScheduled();
      return [{ name: 'duplicate-key pruner', close: () => pruner.close() }];
    },
  };
}
