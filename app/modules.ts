import { conversationModule } from '../bots/wecom/conversation/module';
import { lifecycleModule } from '../bots/wecom/lifecycle/module';
import type { Env } from '../config';
import { loadConversationConfig } from '../config/conversation';
import { loadDistrictSeed } from '../config/district';
import { hotlineModule } from '../web/hotline/module';
import { mpModule } from '../web/mp/module';
import { allianceModule } from './allianceModule';
import { deadlinesModule } from './deadlinesModule';
import type { AppModule } from './runtime';
import type { Sandbox } from './sandbox';
import { sandboxModule } from './sandboxModule';
import { wecomGatewayModule } from './wecomGateway';

/**
 * The parts of the app. Order matters for the worker role: listeners register before the gateway
 * starts the inbound worker, so the gateway comes last.
 */
export function appModules(env: Env, sandbox?: Sandbox): AppModule[] {
  const gateway = wecomGatewayModule();
  const deadlines = deadlinesModule();
  // Declared before the lifecycle reads it; only called once the runtime starts.
  let residents: ReturnType<typeof mpModule> | undefined;
  const lifecycle = lifecycleModule({
    deadlines: (infra) => deadlines.sync(infra),
    dispatcher: (infra) => gateway.dispatcher(infra),
    residents: (infra) => residents!.notifyResidentMilestone(infra),
  });
  residents = mpModule({ lifecycle: (infra) => lifecycle.deps(infra), media: (infra) => gateway.media(infra) });
  const hotline = hotlineModule({ lifecycle: (infra) => lifecycle.deps(infra) });
  const conversation = conversationModule({ lifecycle: (infra) => lifecycle.deps(infra), gateway, config: loadConversationConfig(env.CONVERSATION_CONFIG) });
  // Before the mini-program module: its catch-all under /api/mp would answer /api/mp/alliance first.
  const alliance = allianceModule({ dispatcher: (infra) => gateway.dispatcher(infra) });
  const sandboxConsole = sandbox ? [sandboxModule(sandbox, gateway, loadDistrictSeed(env.DISTRICT_CONFIG).district.id)] : [];
  return [deadlines, lifecycle, alliance, residents, hotline, conversation, ...sandboxConsole, gateway];
}
