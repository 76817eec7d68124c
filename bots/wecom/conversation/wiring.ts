import type { RedisClient } from '../../../infra/redis';
import { submitReport } from '../../../commands/submitReport';
import { runCaseCommand } from '../../../commands/runCaseCommand';
import { caseByNumber, casesReportedBy, readCaseByNumber } from '../../../commands/queries';
import type { LifecycleDeps } from '../../../commands/deps';
import type { ParserExampleSink } from '../../../commands/parserExamples';
import type { SecondOpinionPort } from '../../../commands/secondOpinion';
import { loadConversationConfig, type ConversationConfig } from '../../../config/conversation';
import type { Logger } from '../../../infra/logger';
import type { Outbox } from '../../../jobs/outbox';
import { activeModelVersion, maskSensitive, parseReport } from '../../../src/parser';
import { memoParser } from './memoParser';
import type { RoutingTable } from '../../../src/routing';
import type { OrgRepository } from '../../../store/orgRepository';
import type { WecomApiClient } from '../apiClient';
import { fetchMediaToStorage } from '../media';
import type { MediaStorage } from '../mediaStorage';
import type { ConversationDeps, FeedbackTimer } from './deps';
import { DraftStore } from './draftStore';
import type { CaseDesk, MediaFetcher, Outbound } from './ports';

/** The lifecycle's commands behind the conversation's `CaseDesk`. */
export function lifecycleDesk(deps: LifecycleDeps): CaseDesk {
  return {
    submitReport: (submission, hooks) => submitReport(deps, submission, hooks),
    runCaseCommand: (ref, command, ctx) => runCaseCommand(deps, ref, command, ctx),
    casesReportedBy: (userId, limit) => casesReportedBy(deps, userId, limit),
    caseByNumber: (number, districtId) => caseByNumber(deps, number, districtId),
    readCase: (number, reader) => readCaseByNumber(deps, number, reader),
  };
}

export function outboxSender(outbox: Pick<Outbox, 'enqueueOutbound'>): Outbound {
  return { send: async (message, key) => void (await outbox.enqueueOutbound(message, key)) };
}

export function wecomMediaFetcher(client: WecomApiClient, storage: MediaStorage): MediaFetcher {
  return async (mediaId, kind) => ({ kind, ref: (await fetchMediaToStorage(client, storage, mediaId)).key });
}

export interface ConversationWiring {
  redis: RedisClient;
  /** Redis key prefix (QUEUE_PREFIX). */
  prefix: string;
  org: OrgRepository;
  lifecycle: LifecycleDeps;
  outbox: Pick<Outbox, 'enqueueOutbound'>;
  wecom: WecomApiClient;
  media: MediaStorage;
  feedbackTimer: FeedbackTimer;
  logger: Logger;
  config?: ConversationConfig;
  routing?: RoutingTable;
  /** Where a reporter's category correction (修改类别) is kept for the parser's retraining. */
  learning?: ParserExampleSink;
  secondOpinion?: SecondOpinionPort;
}

/** Everything the conversation needs, from the app's infrastructure. */
export function conversationDeps(w: ConversationWiring): ConversationDeps {
  const config = w.config ?? loadConversationConfig();
  return {
    org: w.org,
    drafts: new DraftStore(w.redis, { prefix: w.prefix, gatherWindowMs: config.gatherWindowSeconds * 1000, ttlMs: config.draftTtlSeconds * 1000 }),
    desk: lifecycleDesk(w.lifecycle),
    outbound: outboxSender(w.outbox),
    fetchMedia: wecomMediaFetcher(w.wecom, w.media),
    parse: memoParser(parseReport, activeModelVersion),
    mask: maskSensitive,
    feedbackTimer: w.feedbackTimer,
    config,
    routing: w.routing ?? w.lifecycle.config.routing,
    clock: w.lifecycle.clock,
    logger: w.logger,
    ...(w.learning !== undefined && { learning: w.learning }),
    ...(w.secondOpinion !== undefined && { secondOpinion: w.secondOpinion }),
  };
}
