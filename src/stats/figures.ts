import type { Assignment, Case } from '../cases/types';

/**
 * What one assignment contributes to its department's figures, as plain numbers that add up:
 * a department's figures for any period are the sums of its assignments' (the console's read
 * model adds them in memory; a store may keep them with each case and sum them as it likes).
 */
export interface AssignmentFigures {
  received: number;
  accepted: number;
  acceptedOnTime: number;
  returned: number;
  done: number;
  doneOnTime: number;
  /** Done, and the case was closed after verification. */
  closed: number;
  solved: number;
  rated: number;
  /** 满意 or 基本满意. */
  satisfied: number;
  /** Summed time to accept / to finish, and how many assignments the sums cover. */
  acceptMs: number;
  finishMs: number;
  whistleRated: number;
  whistleReasonable: number;
  /** The street rated the department on this case (街道评价部门), and whether 满意 or 基本满意. */
  streetRated: number;
  streetSatisfied: number;
}

export const FIGURE_KEYS: readonly (keyof AssignmentFigures)[] = [
  'received', 'accepted', 'acceptedOnTime', 'returned', 'done', 'doneOnTime', 'closed', 'solved',
  'rated', 'satisfied', 'acceptMs', 'finishMs', 'whistleRated', 'whistleReasonable',
  'streetRated', 'streetSatisfied',
];

/** How long between two instants; calendar time by default, pass a working-time measure to count that. */
export type Elapsed = (from: Date, to: Date) => number;
const calendarElapsed: Elapsed = (from, to) => to.getTime() - from.getTime();

const flag = (condition: boolean): number => (condition ? 1 : 0);
const notLater = (at: Date | undefined, due: Date | undefined): boolean => at !== undefined && (due === undefined || at.getTime() <= due.getTime());

export function assignmentFigures(c: Case, a: Assignment, elapsed: Elapsed = calendarElapsed): AssignmentFigures {
  const accepted = a.acceptedAt !== undefined && a.state !== 'returned';
  const done = a.state === 'done' && a.doneAt !== undefined;
  const closed = done && c.state === 'closed';
  const rated = closed && c.satisfaction !== undefined;
  return {
    received: 1,
    accepted: flag(accepted),
    acceptedOnTime: flag(accepted && notLater(a.acceptedAt, a.acceptDueAt)),
    returned: flag(a.state === 'returned'),
    done: flag(done),
    doneOnTime: flag(done && notLater(a.doneAt, a.finishDueAt)),
    closed: flag(closed),
    solved: flag(closed && c.verification?.resolution === 'solved'),
    rated: flag(rated),
    satisfied: flag(rated && c.satisfaction?.value !== 'dissatisfied'),
    acceptMs: accepted && a.acceptedAt ? elapsed(a.whistledAt, a.acceptedAt) : 0,
    finishMs: done && a.acceptedAt && a.doneAt ? elapsed(a.acceptedAt, a.doneAt) : 0,
    whistleRated: flag(a.whistleRating !== undefined),
    whistleReasonable: flag(a.whistleRating?.reasonable === true),
    streetRated: flag(a.streetRating !== undefined),
    streetSatisfied: flag(a.streetRating !== undefined && a.streetRating.value !== 'dissatisfied'),
  };
}

export interface AssignmentFact {
  caseId: string;
  streetId: string;
  deptCode: string;
  whistledAt: Date;
  figures: AssignmentFigures;
}

export function assignmentFacts(c: Case, elapsed?: Elapsed): AssignmentFact[] {
  return c.assignments.map((a) => ({
    caseId: c.id,
    streetId: c.streetId,
    deptCode: a.deptCode,
    whistledAt: a.whistledAt,
    figures: assignmentFigures(c, a, elapsed),
  }));
}
