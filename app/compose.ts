import { cachedOrg } from '../commands/cachedOrg';
import type { Env } from '../config';
import { loadConversationConfig } from '../config/conversation';
import { loadDistrictSeed } from '../config/district';
import { loadMpConfig } from '../config/mp';
import { CaseRepository, SERVICE_FIGURES_FLUSH_MS } from '../store/caseRepository';
import { allianceModule } from './allianceModule';
import { consoleFeed, consoleModule } from './consoleModule';
import { conversationModule } from './conversationModule';
import { deadlinesModule } from './deadlinesModule';
import { directoryModule } from './directoryModule';
import { hotlineModule } from './hotlineModule';
import { hotlineProgressModule } from './hotlineProgressModule';
import { lifecycleModule } from './lifecycleModule';
import { mpModule, residentNotices } from './mpModule';
import { open311Module } from './open311Module';
import { parserLearning } from './parserLearningModule';
import type { AppModule, ComposeApp, Infrastructure } from './runtime';
import type { Sandbox } from './sandbox';
import { sandboxModule } from './sandboxModule';
import { statsModule } from './statsModule';
import type { DecodeQueue } from '../web/mp/decodeQueue';
import { wecomGateway } from './wecomGateway';

/** What a process may choose about the app beyond its environment. */
export interface AppSeams {
  /** The clock of case changes, cards and the alliance's 哨令 (default: the wall clock); tests that replay dated histories set it. */
  clock?: () => Date;
  /** The environment secrets named by configuration files are read from (HOTLINE_WEBHOOKS_CONFIG's `secretEnv`); process.env by default. */
  rawEnv?: Record<string, string | undefined>;
  /** The residents' photo decoders (default: PHOTO_DECODE_CONCURRENCY, PHOTO_DECODE_QUEUE); a test holds its own shut to see the queue fill. */
  decodeQueue?: DecodeQueue;
}

/**
 * The one composition root: every service of the app built once, in plain order, for one
 * Infrastructure (a process has one; tests may start several). What a later part needs is built
 * before it and handed to it; channel folders (bots/, web/) receive what they use and build none.
 * The runtime then starts the workers of the worker role (and last the inbound worker, once every
 * listener is registered) and serves the routers of the web role.
 */
export function composeApp(env: Env, sandbox?: Sandbox, seams: AppSeams = {}): ComposeApp {
  return async (infra: Infrastructure): Promise<AppModule[]> => {
    const org = cachedOrg(infra.org, 30_000, Date.now, infra.orgChanges);
    // The one case repository of this process: its write queues keep FerretDB's counters and roll-up exact.
    // A writer silent for QUEUE_LOCK_MS between claiming a case's version and saving it is taken for dead, as its jobs are.
    const cases = new CaseRepository(infra.mongo, { staleClaimMs: env.QUEUE_LOCK_MS, figuresFlushMs: SERVICE_FIGURES_FLUSH_MS });
    // Closed after the workers and before the store: the figures still gathered reach it.
    infra.closeables.push({ name: 'case figures roll-up', close: () => cases.flushFigures() });
    const mpConfig = loadMpConfig(env.MP_CONFIG);
    const gateway = wecomGateway(infra);
    const deadlines = await deadlinesModule(infra, { cases });
    const learning = parserLearning(infra);
    const hotlineProgress = hotlineProgressModule(infra, org, seams.rawEnv);
    const residents = residentNotices(infra, mpConfig);
    const feed = consoleFeed(infra);
    const lifecycle = lifecycleModule(infra, {
      cases,
      deadlines,
      dispatcher: gateway.dispatcher,
      org,
      residents: residents.notifyResidentMilestone,
      subscribers: [...hotlineProgress.subscribers, learning.subscriber, feed.subscriber],
      ...(seams.clock !== undefined && { clock: seams.clock }),
    });
    const alliance = allianceModule(infra, { dispatcher: gateway.dispatcher, mpConfig, ...(seams.clock !== undefined && { clock: seams.clock }) });
    const modules: AppModule[] = [
      lifecycle,
      statsModule(infra, cases),
      alliance,
      mpModule(infra, { lifecycle: lifecycle.deps, config: mpConfig, media: gateway.media, residents, ...(seams.decodeQueue !== undefined && { decodeQueue: seams.decodeQueue }) }),
      hotlineModule(infra, { lifecycle: lifecycle.deps, platforms: hotlineProgress.platformIds }),
      hotlineProgress,
      open311Module(infra, { lifecycle: lifecycle.deps, org }),
      conversationModule(infra, { lifecycle: lifecycle.deps, gateway, config: loadConversationConfig(env.CONVERSATION_CONFIG) }),
      consoleModule(infra, { cases, lifecycle: lifecycle.deps, feed: feed.feed, gateway, alliance: alliance.deps }),
      directoryModule(infra, gateway.dispatcher),
      gateway,
    ];
    if (sandbox) modules.push(sandboxModule(infra, sandbox, gateway.client, loadDistrictSeed(env.DISTRICT_CONFIG).district.id));
    return modules;
  };
}
