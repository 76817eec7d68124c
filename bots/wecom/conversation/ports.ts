import type { ReportSubmission, SubmitHooks, SubmitOutcome } from '../../../commands/submitReport';
import type { CaseReading } from '../../../commands/queries';
import type { Case, CaseCommand, CaseReader, CommandContext, CommandResult, MediaRef } from '../../../src/cases';
import type { ParsedReport, ParseInput, ProblemMention } from '../../../src/parser/types';
import type { OutboundMessage } from '../messages';

export type { ReportSubmission, SubmitHooks, SubmitOutcome } from '../../../commands/submitReport';

/**
 * What the conversation needs from the rest of the app, as small interfaces so each one is
 * wired in a single line (see `wiring.ts`) and faked in nothing but its own test.
 */

export interface CaseRef {
  id?: string;
  number?: string;
}

/** The lifecycle's commands (`commands/**`), seen from the conversation. */
export interface CaseDesk {
  submitReport(submission: ReportSubmission, hooks?: SubmitHooks): Promise<SubmitOutcome>;
  runCaseCommand(ref: CaseRef, command: CaseCommand, ctx: CommandContext): Promise<CommandResult>;
  casesReportedBy(userId: string, limit: number): Promise<Case[]>;
  caseByNumber(number: string, districtId?: string): Promise<Case | null>;
  /** A case by number for one reader: refused unless they may read it. */
  readCase(number: string, reader: CaseReader): Promise<CaseReading>;
}

/**
 * What the conversation reads of `parseReport`'s answer. `problems`: every problem the text names,
 * main first, offered first when the category is corrected.
 */
export type ReportReading = Pick<ParsedReport, 'category' | 'urgency' | 'location' | 'departments' | 'confidence'> & { problems: Pick<ProblemMention, 'category'>[] };

export type ReportParser = (input: ParseInput) => ReportReading;

/** Sends through the outbox; the same key never sends twice. */
export interface Outbound {
  send(message: OutboundMessage, idempotencyKey: string): Promise<void>;
}

/** Copies a WeChat Work temporary media id into our media storage. */
export type MediaFetcher = (mediaId: string, kind: MediaRef['kind']) => Promise<MediaRef>;

/** Hides phone numbers and plates in text shown to someone other than the reporter. */
export type Masker = (text: string) => string;
