import type { Assignment, Case, TimelineEvent } from '../../src/cases';
import type { StageKind } from '../../src/sla';

/**
 * A slot is one deadline a case can carry: the accept or finish limit of one assignment, or the
 * case's verify limit. It is keyed by the assignment's index, which never changes (assignments are
 * only appended), so a department whistled twice has two slots.
 */
export interface DeadlineSlot {
  /** `a<index>.accept`, `a<index>.finish` or `verify`. */
  slot: string;
  kind: StageKind;
  assignmentIndex?: number;
  deptCode?: string;
  /** When the current limit was set: fractions of the time are counted from here. */
  start: Date;
  due: Date;
}

const WORKING_STATES: readonly Case['state'][] = ['whistled', 'in_progress', 'awaiting_verification'];

export function slotName(kind: StageKind, assignmentIndex?: number): string {
  return kind === 'verify' ? 'verify' : `a${assignmentIndex ?? 0}.${kind}`;
}

/** Every slot name the case could ever have had a job for (live or moot). */
export function allSlotNames(c: Case): string[] {
  return [...c.assignments.flatMap((_, i) => [slotName('accept', i), slotName('finish', i)]), slotName('verify')];
}

function latestEventAt(c: Case, since: Date, match: (e: TimelineEvent) => boolean): Date | undefined {
  let found: Date | undefined;
  for (const e of c.timeline) {
    if (e.at.getTime() >= since.getTime() && match(e) && (found === undefined || e.at.getTime() >= found.getTime())) found = e.at;
  }
  return found;
}

// The finish limit is (re)set by acceptance, an approved extension, or a reopening after verification.
function finishStart(c: Case, a: Assignment): Date {
  const set = latestEventAt(
    c,
    a.whistledAt,
    (e) =>
      e.deptCode === a.deptCode &&
      (e.type === 'accepted' || e.type === 'reopened' || (e.type === 'extension_decided' && e.details.approved === true)),
  );
  return set ?? a.acceptedAt ?? a.whistledAt;
}

function verifyStart(c: Case): Date {
  const lead = c.assignments.find((a) => a.role === 'lead' && a.state === 'done');
  return latestEventAt(c, lead?.whistledAt ?? c.createdAt, (e) => e.type === 'feedback' && e.details.role === 'lead') ?? lead?.doneAt ?? c.updatedAt;
}

function assignmentSlots(c: Case, a: Assignment, index: number): DeadlineSlot[] {
  if (a.state === 'pending' && a.acceptDueAt) {
    return [{ slot: slotName('accept', index), kind: 'accept', assignmentIndex: index, deptCode: a.deptCode, start: a.whistledAt, due: a.acceptDueAt }];
  }
  if (a.state === 'accepted' && a.finishDueAt) {
    return [{ slot: slotName('finish', index), kind: 'finish', assignmentIndex: index, deptCode: a.deptCode, start: finishStart(c, a), due: a.finishDueAt }];
  }
  return [];
}

/** The deadlines that are running on the case right now; everything else is moot. */
export function liveSlots(c: Case): DeadlineSlot[] {
  if (!WORKING_STATES.includes(c.state)) return [];
  const slots = c.assignments.flatMap((a, i) => assignmentSlots(c, a, i));
  if (c.state === 'awaiting_verification' && c.verifyDueAt) {
    slots.push({ slot: slotName('verify'), kind: 'verify', start: verifyStart(c), due: c.verifyDueAt });
  }
  return slots;
}
