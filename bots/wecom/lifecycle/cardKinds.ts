/** Every interactive card the lifecycle sends; a tap is routed by the kind recorded for its task id. */
export type CardKind =
  | 'whistle'
  | 'return_reason'
  | 'triage'
  | 'community'
  | 'verify'
  | 'unsolved_reason'
  | 'satisfaction'
  | 'whistle_rating'
  | 'extension';

/** What a sent card was about; stored under its task id so a tap maps back to the case. */
export interface CardRecord {
  taskId: string;
  kind: CardKind;
  caseId: string;
  caseNumber: string;
  /** The department the card speaks to (whistle, reason pickers, ratings, extension requests). */
  deptCode?: string;
  /** The assignment the card is about; a later assignment of the same department supersedes it. */
  assignmentIndex?: number;
  /** Timeline length when the card was sent: later events may supersede it. */
  timelineLength: number;
  recipients: string[];
  createdAt: Date;
}
