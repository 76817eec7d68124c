import type { Urgency } from '../taxonomy';

export type CaseSource = 'grid' | 'resident' | 'hotline' | 'open311' | 'dispatcher';
export type CaseLevel = 'community' | 'street';
export type CaseState =
  | 'triage'
  | 'community'
  | 'whistled'
  | 'in_progress'
  | 'awaiting_verification'
  | 'closed'
  | 'cancelled'
  | 'merged';
export const OPEN_CASE_STATES: readonly CaseState[] = ['triage', 'community', 'whistled', 'in_progress', 'awaiting_verification'];

/**
 * `withdrawn`: the case left this department without the department returning it (the lead returned,
 * the case was merged, cancelled or escalated). A reopened assignment goes back to `accepted`.
 */
export type AssignmentState = 'pending' | 'accepted' | 'returned' | 'done' | 'withdrawn';
export const ACTIVE_ASSIGNMENT_STATES: readonly AssignmentState[] = ['pending', 'accepted', 'done'];
export type AssignmentRole = 'lead' | 'assisting';

export type Channel = 'wecom' | 'mp' | 'hotline' | 'open311' | 'system' | 'sandbox' | 'console';
export type Satisfaction = 'satisfied' | 'basically' | 'dissatisfied';
export type Resolution = 'solved' | 'unsolved';

/** Who acts. `grid` covers grid members and community workers; `dept_*` need `deptCode`. */
export type ActorRole = 'reporter' | 'grid' | 'dispatcher' | 'dept_member' | 'dept_lead' | 'leader' | 'system';

export interface Actor {
  userId: string;
  name?: string;
  role: ActorRole;
  deptCode?: string;
  communityId?: string;
}

export interface MediaRef {
  kind: 'image' | 'voice' | 'video' | 'file';
  ref: string;
}

export interface Reporter {
  userId?: string;
  openid?: string;
  name?: string;
}

export interface ParsedFields {
  category?: string;
  urgency: Urgency;
  locationText?: string;
  /** Normalised location text used to find duplicates (see `locationKey`). */
  locationKey?: string;
  lat?: number;
  lng?: number;
  confidence: number;
}

export interface ExtensionRequest {
  requestedBy: string;
  requestedAt: Date;
  reason: string;
  requestedDueAt: Date;
  decision?: 'approved' | 'rejected';
  decidedBy?: string;
  decidedAt?: Date;
  decisionNote?: string;
}

export interface WhistleRating {
  reasonable: boolean;
  by: string;
  at: Date;
  comment?: string;
}

/** 街道评价部门: the street's rating of how a department handled this case (双向考核), once per department. */
export interface StreetRating {
  value: Satisfaction;
  by: string;
  at: Date;
  comment?: string;
}

export interface Assignment {
  deptCode: string;
  role: AssignmentRole;
  state: AssignmentState;
  whistledAt: Date;
  acceptDueAt?: Date;
  finishDueAt?: Date;
  acceptedBy?: string;
  acceptedByName?: string;
  acceptedAt?: Date;
  doneAt?: Date;
  resultText?: string;
  resultMedia: MediaRef[];
  returnReason?: string;
  returnedAt?: Date;
  reopenCount: number;
  extensions: ExtensionRequest[];
  whistleRating?: WhistleRating;
  streetRating?: StreetRating;
}

export interface CaseCounters {
  returns: number;
  reopenings: number;
  extensions: number;
}

export interface SatisfactionRating {
  value: Satisfaction;
  by: string;
  at: Date;
  comment?: string;
}

export interface Verification {
  resolution: Resolution;
  by: string;
  at: Date;
  note?: string;
}

export type TimelineEventType =
  | 'created'
  | 'whistled'
  | 'accepted'
  | 'returned'
  | 'feedback'
  | 'verified'
  | 'reopened'
  | 'rated'
  | 'whistle_rated'
  | 'department_rated'
  | 'extension_requested'
  | 'extension_decided'
  | 'escalated_to_street'
  | 'merged'
  | 'duplicate_merged_in'
  | 'cancelled'
  | 'reassigned'
  | 'hard_case_marked'
  | 'hard_case_resolved'
  | 'reporter_released'
  | 'escalated_to_district'
  // Written by the deadline engine (督办): a reminder to the department, an escalation upwards.
  | 'deadline_reminder'
  | 'deadline_escalation';

export type EventDetailValue = string | number | boolean | null;

export interface TimelineEvent {
  type: TimelineEventType;
  at: Date;
  actorId: string;
  actorName?: string;
  actorRole: ActorRole;
  channel: Channel;
  deptCode?: string;
  /** Set when the command came with an id: a replay of the same id is refused. */
  commandId?: string;
  details: Record<string, EventDetailValue>;
}

/** 疑难件: a case the street tracks specially until it is resolved or closes. */
export interface HardCaseMark {
  by: string;
  at: Date;
  reason: string;
  resolvedAt?: Date;
}

/** The street showed the reporter's identity and contact to the departments on the case. */
export interface ReporterRelease {
  by: string;
  at: Date;
  reason: string;
}

/** 提级督办: the street asked the district to supervise the case. */
export interface DistrictEscalation {
  by: string;
  at: Date;
  reason: string;
}

export interface Case {
  id: string;
  number: string;
  districtId: string;
  streetId: string;
  communityId?: string;
  gridId?: string;
  source: CaseSource;
  reporter: Reporter;
  text: string;
  media: MediaRef[];
  parsed: ParsedFields;
  level: CaseLevel;
  state: CaseState;
  assignments: Assignment[];
  counters: CaseCounters;
  verifyDueAt?: Date;
  verification?: Verification;
  satisfaction?: SatisfactionRating;
  mergedInto?: string;
  mergedDuplicates: string[];
  /**
   * The departments the street's routing named when the case was filed, lead first: the
   * dispatcher's choice is pre-filled with them. Cases filed before it was kept have none.
   */
  routedDepartments?: string[];
  cancelReason?: string;
  hardCase?: HardCaseMark;
  reporterRelease?: ReporterRelease;
  districtEscalation?: DistrictEscalation;
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date;
  version: number;
  timeline: TimelineEvent[];
}

export type DeadlineKind = 'accept' | 'finish' | 'verify';

/** Computes a deadline for a case; built from the SLA policy by the caller (see `src/sla`). */
export type DeadlinePlanner = (c: Case, kind: DeadlineKind, from: Date) => Date;

export interface CommandContext {
  actor: Actor;
  channel: Channel;
  now: Date;
  commandId?: string;
  plan?: DeadlinePlanner;
}

export type RefusalCode =
  | 'illegal_state'
  | 'not_allowed'
  | 'not_yours'
  | 'already_accepted'
  | 'already_done'
  | 'already_rated'
  | 'already_applied'
  | 'invalid_input'
  | 'pending_extension'
  | 'no_pending_extension'
  | 'not_found'
  | 'conflict';

export interface Refusal {
  ok: false;
  code: RefusalCode;
  reason: string;
}

export interface Transition {
  ok: true;
  case: Case;
  events: TimelineEvent[];
}

export type CommandResult = Transition | Refusal;
