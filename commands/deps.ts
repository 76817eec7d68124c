import type { CaseWriteTurns } from './caseWriteTurns';
import type { Case, CaseDraft, CommandContext, DeadlinePlanner, DuplicateRule, TimelineEvent } from '../src/cases';
import type { RoutingTable } from '../src/routing';
import type { OrgRepository } from '../store/orgRepository';

/** What the lifecycle commands need from the case store (implemented by `store/caseRepository.ts`). */
export interface CaseStore {
  /**
   * Allocates the id and the per-district, per-year number, and inserts the new case. With `key`
   * the id is derived from it, and a case already stored under it is answered instead.
   */
  create(draft: CaseDraft, ctx: CommandContext, key?: string): Promise<Case>;
  findById(id: string): Promise<Case | null>;
  findByNumber(number: string, districtId?: string): Promise<Case | null>;
  /**
   * Writes `after` only if the stored case still has `before`'s state and version (atomic
   * conditional update). False when another writer got there first.
   */
  saveTransition(before: Case, after: Case, events: TimelineEvent[]): Promise<boolean>;
  /** Open cases `c` repeats (same category and place within the rule's window), oldest first, `c` excluded. */
  findOpenDuplicates(c: Case, rule: DuplicateRule): Promise<Case[]>;
  /** Latest cases a user (WeCom userid or resident openid) reported, newest first. */
  reportedBy(reporterId: string, limit: number): Promise<Case[]>;
}

export type OrgDirectory = Pick<OrgRepository, 'user' | 'department' | 'departments' | 'street' | 'community' | 'communityStaff' | 'district' | 'usersWithRole'>;

/** One successful change of a case: `before` is null when the case was just created. */
export interface CaseChange {
  before: Case | null;
  after: Case;
  events: TimelineEvent[];
}

/**
 * The side effects of each change, written down before the change is stored and struck off once
 * they ran: a process that dies in between (SIGKILL, a lost machine) leaves them for a worker to run
 * (`commands/recoverEffects.ts`). Implemented in Redis by `store/pendingEffects.ts`.
 */
export interface PendingEffects {
  /** Records the change about to be stored; answers its token. */
  begin(change: CaseChange): Promise<string>;
  /** The change's side effects ran (or it was never stored). */
  end(token: string): Promise<void>;
}

/** Side effects a transition causes in the chat world (cards, card updates, group notices, milestones). */
export interface LifecycleNotifier {
  caseChanged(change: CaseChange): Promise<void>;
  /** The reporter of `duplicate` is told their report was merged into `target`. */
  duplicateMerged(duplicate: Case, target: Case): Promise<void>;
}

/** Keeps the case's reminder and escalation timers in line with its deadlines (`jobs/deadlines`). */
export interface DeadlineSync {
  syncCase(c: Case): Promise<void>;
}

export interface LifecycleConfig {
  /** Who leads and assists per category and street, the confidence below which the dispatcher decides. */
  routing: RoutingTable;
  duplicates: DuplicateRule;
  /** SLA deadlines; without it assignments carry no due dates. */
  plan?: DeadlinePlanner;
  /** How often a command is re-applied after losing a concurrent update before giving up. */
  maxConflictRetries: number;
}

/** A side effect that failed after its change was stored: the change stands, the failure is reported. */
export interface SideEffectFailure {
  step: 'notify' | 'deadlines';
  case: Case;
  error: unknown;
}

export interface LifecycleDeps {
  cases: CaseStore;
  org: OrgDirectory;
  notifier: LifecycleNotifier;
  deadlines: DeadlineSync;
  clock: () => Date;
  config: LifecycleConfig;
  /**
   * Told of a side effect that failed once the change was stored. The command still succeeds:
   * reporting a saved whistle as failed would make the reporter retry and file a second case.
   */
  sideEffectFailed(failure: SideEffectFailure): void;
  /** Where each change's side effects wait until they ran (unset: a process that dies between a save and its effects loses them). */
  pendingEffects?: PendingEffects;
  /** This process's writes of one case one after another (unset: they race through the version claims). */
  caseTurns?: CaseWriteTurns;
}
