import type { WecomApiClient } from '../bots/wecom/apiClient';
import { settleFeedback } from '../bots/wecom/conversation/departmentFlow';
import { createFeedbackTimer, startFeedbackWorker } from '../bots/wecom/conversation/feedbackTimer';
import { registerConversation } from '../bots/wecom/conversation/register';
import type { ConversationDeps } from '../bots/wecom/conversation/deps';
import { conversationDeps } from '../bots/wecom/conversation/wiring';
import type { MediaStorage } from '../bots/wecom/mediaStorage';
import type { LifecycleDeps } from '../commands/deps';
import type { ConversationConfig } from '../config/conversation';
import { ChatCompletionsSecondOpinion } from '../infra/llm/chatCompletions';
import type { InboundDispatcher } from '../jobs/inbound/dispatcher';
import { bullConnectionFor } from '../jobs/outbox/connection';
import { outboxFromEnv } from '../jobs/outbox/fromEnv';
import { ParserLearningRepository } from '../store/parserLearningRepository';
import type { AppModule, Infrastructure } from './runtime';

export interface ConversationModuleOptions {
  /** The lifecycle of this process (`lifecycleModule(...).deps`). */
  lifecycle: LifecycleDeps;
  /** The gateway's parts (`wecomGateway(infra)`): its dispatcher, API client and media storage. */
  gateway: { dispatcher: InboundDispatcher; client: WecomApiClient; media: MediaStorage };
  /** Defaults to config/conversation.json. */
  config?: ConversationConfig;
}

export interface ConversationModule extends AppModule {
  /** What the conversation's listeners work with (drafts, the case desk, the outbound queue…). */
  deps: ConversationDeps;
}

/**
 * The grid members' and departments' conversation: its services (built in every role, like the
 * lifecycle's), and in the worker role its listeners on the inbound dispatcher and the timer that
 * sends a department's held feedback with its photos.
 */
export function conversationModule(infra: Infrastructure, options: ConversationModuleOptions): ConversationModule {
  const { gateway } = options;
  const connection = bullConnectionFor(infra);
  const prefix = infra.env.QUEUE_PREFIX;
  const outbox = outboxFromEnv(infra);
  const feedbackTimer = createFeedbackTimer({ connection, prefix });
  // In opening order: the runtime closes the last one first.
  infra.closeables.push({ name: 'conversation outbox', close: () => outbox.close() }, { name: 'conversation feedback timer', close: () => feedbackTimer.close() });
  const deps = conversationDeps({
    redis: infra.redis,
    prefix,
    org: infra.org,
    lifecycle: options.lifecycle,
    outbox,
    wecom: gateway.client,
    media: gateway.media,
    feedbackTimer,
    learning: new ParserLearningRepository(infra.mongo),
    ...secondOpinionFromEnv(infra),
    logger: infra.logger.child({ component: 'conversation' }),
    ...(options.config !== undefined && { config: options.config }),
  });
  return {
    deps,
    async startWorkers() {
      registerConversation(gateway.dispatcher, deps);
      const worker = startFeedbackWorker({ connection, prefix, settle: (userId, draftId) => settleFeedback(deps, userId, draftId), logger: deps.logger, lockMs: infra.env.QUEUE_LOCK_MS });
      return [{ name: 'conversation feedback worker', close: () => worker.close() }];
    },
  };
}

/** The LLM second opinion, only when LLM_BASE_URL, LLM_API_KEY and LLM_MODEL are all set. */
function secondOpinionFromEnv(infra: Infrastructure): { secondOpinion?: ChatCompletionsSecondOpinion } {
  const { LLM_BASE_URL: baseUrl, LLM_API_KEY: apiKey, LLM_MODEL: model, LLM_TIMEOUT_MS: timeoutMs } = infra.env;
  if (!baseUrl || !apiKey || !model) return {};
  return { secondOpinion: new ChatCompletionsSecondOpinion({ baseUrl, apiKey, model, timeoutMs }, infra.logger.child({ component: 'llm' })) };
}
