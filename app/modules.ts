import { conversationModule } from '../bots/wecom/conversation/module';
import { lifecycleModule } from '../bots/wecom/lifecycle/module';
import type { Env } from '../config';
import { loadConversationConfig } from '../config/conversation';
import { loadDistrictSeed } from '../config/district';
import { hotlineProgressModule } from '../bots/hotline/module';
import { consoleModule } from '../web/console/module';
import { hotlineModule } from '../web/hotline/module';
import { mpModule } from '../web/mp/module';
import { open311Module } from '../web/open311/module';
import { allianceModule } from './allianceModule';
import { deadlinesModule } from './deadlinesModule';
import { directoryModule } from './directoryModule';
import { parserLearningModule } from './parserLearningModule';
import type { AppModule } from './runtime';
import type { Sandbox } from './sandbox';
import { sandboxModule } from './sandboxModule';
import { statsModule } from './statsModule';
import { wecomGatewayModule } from './wecomGateway';

/**
 * The parts of the app. Order matters for the worker role: listeners register before the gateway
 * starts the inbound worker, so the gateway comes last.
 */
export function appModules(env: Env, sandbox?: Sandbox): AppModule[] {
  const gateway = wecomGatewayModule();
  const deadlines = deadlinesModule();
  const hotlineProgress = hotlineProgressModule();
  const parserLearning = parserLearningModule();
  // Declared before the lifecycle reads it; only called once the runtime starts.
  let residents: ReturnType<typeof mpModule> | undefined;
  let commandCentre: ReturnType<typeof consoleModule> | undefined;
  const lifecycle = lifecycleModule({
    deadlines: (infra) => deadlines.sync(infra),
    dispatcher: (infra) => gateway.dispatcher(infra),
    residents: (infra) => residents!.notifyResidentMilestone(infra),
    subscribers: (infra) => [...hotlineProgress.subscribers(infra), ...parserLearning.subscribers(infra), commandCentre!.subscriber(infra)],
  });
  residents = mpModule({ lifecycle: (infra) => lifecycle.deps(infra), media: (infra) => gateway.media(infra) });
  // Declared before the command centre reads it (only once the runtime starts).
  let allianceWhistles: ReturnType<typeof allianceModule> | undefined;
  commandCentre = consoleModule({ lifecycle: (infra) => lifecycle.deps(infra), gateway, alliance: (infra) => allianceWhistles!.deps(infra) });
  const hotline = hotlineModule({ lifecycle: (infra) => lifecycle.deps(infra), platforms: (infra) => hotlineProgress.platformIds(infra) });
  const open311 = open311Module({ lifecycle: (infra) => lifecycle.deps(infra) });
  const conversation = conversationModule({ lifecycle: (infra) => lifecycle.deps(infra), gateway, config: loadConversationConfig(env.CONVERSATION_CONFIG) });
  // Before the mini-program module: its catch-all under /api/mp would answer /api/mp/alliance first.
  const alliance = allianceModule({ dispatcher: (infra) => gateway.dispatcher(infra) });
  allianceWhistles = alliance;
  const sandboxConsole = sandbox ? [sandboxModule(sandbox, gateway, loadDistrictSeed(env.DISTRICT_CONFIG).district.id)] : [];
  const directory = directoryModule({ dispatcher: (infra) => gateway.dispatcher(infra) });
  return [deadlines, parserLearning, lifecycle, statsModule(), alliance, residents, hotline, hotlineProgress, open311, conversation, commandCentre, directory, ...sandboxConsole, gateway];
}
