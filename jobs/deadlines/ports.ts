import type { Case, EventDetailValue, TimelineEventType } from '../../src/cases';
import type { PlannedAlert } from '../../src/sla';
import type { DeadlineSlot } from './slots';

export type DeadlineEventType = Extract<TimelineEventType, 'deadline_reminder' | 'deadline_escalation'>;

/** What the engine writes on the case timeline when a reminder or an escalation goes out. */
export interface DeadlineEvent {
  type: DeadlineEventType;
  at: Date;
  deptCode?: string;
  /** Always holds `deadlineKey` (see `alertKey`): the store appends an event with a given key once. */
  details: Record<string, EventDetailValue>;
}

/** The case store as the deadline engine needs it. */
export interface DeadlineCaseStore {
  load(caseId: string): Promise<Case | null>;
  /**
   * Appends the event to the case as it was read (`read.version`), unless its timeline already
   * holds one with the same `details.deadlineKey`: a version-guarded update that also bumps
   * `version`, so a lifecycle write based on an older read is refused and retried instead of
   * dropping the event, and vice versa. False when the key was there or the case changed since it
   * was read (the worker then re-reads and re-plans: an accepted case gets no late reminder).
   */
  appendDeadlineEvent(read: Case, event: DeadlineEvent): Promise<boolean>;
  /**
   * Every case in a state with running limits, `batchSize` at a time, from one pass over the store
   * (FerretDB filters in Go over the whole collection: a page per query would scan it per page).
   */
  casesWithDeadlines(batchSize: number): AsyncIterable<Case[]>;
}

export interface DeadlineNotice {
  case: Case;
  slot: DeadlineSlot;
  alert: PlannedAlert;
  /** The alert's timeline key; sending the same key twice must deliver once. */
  key: string;
  now: Date;
  /** Deadline events already on the case, oldest first, for the escalation's history. */
  history: readonly DeadlineHistoryItem[];
}

export interface DeadlineHistoryItem {
  at: Date;
  text: string;
}

/** Who was told, for the timeline. */
export interface NoticeReceipt {
  /** The audience, e.g. 住建局 or 区领导. */
  to: string;
  /** Names of the people @-mentioned or written to, comma separated. */
  recipients: string;
  /** One line for the timeline and for later escalations' history. */
  summary: string;
}

/** Delivers reminders and escalations; implementations must be idempotent per `notice.key`. */
export interface DeadlineNotifier {
  send(notice: DeadlineNotice): Promise<NoticeReceipt>;
}
