import type { ConversationConfig } from '../../../config/conversation';
import type { Logger } from '../../../infra/logger';
import type { RoutingTable } from '../../../src/routing';
import type { OrgRepository } from '../../../store/orgRepository';
import type { DraftStore } from './draftStore';
import type { CaseDesk, Masker, MediaFetcher, Outbound, ReportParser } from './ports';
import type { ParserExampleSink } from '../../../commands/parserExamples';
import type { SecondOpinionPort } from '../../../commands/secondOpinion';

/** Starts the wait for photos sent just after a department's feedback (see `feedbackTimer.ts`). */
export interface FeedbackTimer {
  schedule(userId: string, draftId: string, delayMs: number): Promise<void>;
}

export interface ConversationDeps {
  org: Pick<OrgRepository, 'user'>;
  drafts: DraftStore;
  desk: CaseDesk;
  outbound: Outbound;
  fetchMedia: MediaFetcher;
  parse: ReportParser;
  mask: Masker;
  feedbackTimer: FeedbackTimer;
  config: ConversationConfig;
  /** The lifecycle's routing table, to show on the card where a report will go. */
  routing: RoutingTable;
  clock: () => Date;
  logger: Logger;
  /** Keeps a reporter's category correction as a labelled example for the parser (absent: not kept). */
  learning?: ParserExampleSink;
  /** The optional LLM second opinion on low-confidence reports (LLM_BASE_URL / LLM_API_KEY / LLM_MODEL). */
  secondOpinion?: SecondOpinionPort;
}
