import { isActive } from './assignments';
import type { Assignment, Case } from './types';

function assignmentProblems(a: Assignment, i: number): string[] {
  const at = `assignments[${i}] (${a.deptCode})`;
  const problems: string[] = [];
  if ((a.state === 'accepted' || a.state === 'done') && (!a.acceptedAt || !a.acceptedBy)) problems.push(`${at} is ${a.state} without acceptedAt/acceptedBy`);
  if (a.state === 'done' && (!a.doneAt || !a.resultText)) problems.push(`${at} is done without doneAt/resultText`);
  if (a.state !== 'done' && a.doneAt) problems.push(`${at} is ${a.state} but has doneAt`);
  if (a.state === 'returned' && !a.returnReason) problems.push(`${at} is returned without a reason`);
  if (a.extensions.slice(0, -1).some((e) => e.decision === undefined)) problems.push(`${at} has an undecided extension that is not the latest`);
  return problems;
}

function stateProblems(c: Case): string[] {
  const problems: string[] = [];
  const open = c.assignments.filter((a) => a.state === 'pending' || a.state === 'accepted');
  const leads = c.assignments.filter((a) => a.role === 'lead' && isActive(a));
  const expectLead = (state: Assignment['state']): void => {
    if (leads.length !== 1 || leads[0]?.state !== state) problems.push(`state ${c.state} needs exactly one active lead in ${state}, found [${leads.map((l) => l.state).join(',')}]`);
  };
  switch (c.state) {
    case 'triage':
    case 'community':
      if (open.length > 0) problems.push(`state ${c.state} has ${open.length} pending/accepted assignments`);
      if (c.state === 'community' && c.level !== 'community') problems.push('state community on a street-level case');
      if (c.state === 'triage' && c.level !== 'street') problems.push('state triage on a community-level case');
      break;
    case 'whistled': expectLead('pending'); break;
    case 'in_progress': expectLead('accepted'); break;
    case 'awaiting_verification': expectLead('done'); break;
    case 'closed':
      expectLead('done');
      if (!c.verification || !c.closedAt) problems.push('closed without verification/closedAt');
      break;
    case 'cancelled':
    case 'merged':
      if (open.length > 0) problems.push(`state ${c.state} has ${open.length} pending/accepted assignments`);
      if (c.state === 'merged' && !c.mergedInto) problems.push('merged without mergedInto');
      if (c.state === 'cancelled' && !c.cancelReason) problems.push('cancelled without a reason');
      break;
  }
  if (leads.length > 1) problems.push(`${leads.length} active lead assignments`);
  return problems;
}

function counterProblems(c: Case): string[] {
  const problems: string[] = [];
  const returned = c.assignments.filter((a) => a.state === 'returned').length;
  const reopened = c.assignments.reduce((sum, a) => sum + a.reopenCount, 0);
  const approved = c.assignments.reduce((sum, a) => sum + a.extensions.filter((e) => e.decision === 'approved').length, 0);
  if (c.counters.returns !== returned) problems.push(`counters.returns ${c.counters.returns} but ${returned} returned assignments`);
  if (c.counters.reopenings !== reopened) problems.push(`counters.reopenings ${c.counters.reopenings} but assignments were reopened ${reopened} times`);
  if (c.counters.extensions !== approved) problems.push(`counters.extensions ${c.counters.extensions} but ${approved} approved extensions`);
  return problems;
}

function duplicateDepartmentProblems(c: Case): string[] {
  const problems: string[] = [];
  const openDepts = c.assignments.filter((a) => a.state === 'pending' || a.state === 'accepted').map((a) => a.deptCode);
  const twice = openDepts.filter((d, i) => openDepts.indexOf(d) !== i);
  if (twice.length > 0) problems.push(`departments with two open assignments: ${[...new Set(twice)].join(',')}`);
  const rated = c.assignments.filter((a) => a.whistleRating).map((a) => a.deptCode);
  if (new Set(rated).size !== rated.length) problems.push('a department rated the whistle twice');
  const streetRated = c.assignments.filter((a) => a.streetRating).map((a) => a.deptCode);
  if (new Set(streetRated).size !== streetRated.length) problems.push('the street rated a department twice on one case');
  return problems;
}

function timelineProblems(c: Case): string[] {
  const problems: string[] = [];
  if (c.timeline[0]?.type !== 'created') problems.push('timeline does not start with created');
  if (c.timeline.length < c.version + 1) problems.push(`version ${c.version} but only ${c.timeline.length} timeline events`);
  for (let i = 1; i < c.timeline.length; i++) {
    const prev = c.timeline[i - 1];
    const cur = c.timeline[i];
    if (prev && cur && cur.at.getTime() < prev.at.getTime()) problems.push(`timeline[${i}] is earlier than the event before it`);
  }
  return problems;
}

/** Every way a case can be impossible; empty when the case is consistent. */
export function checkInvariants(c: Case): string[] {
  const problems = [...stateProblems(c), ...counterProblems(c), ...duplicateDepartmentProblems(c), ...timelineProblems(c)];
  c.assignments.forEach((a, i) => problems.push(...assignmentProblems(a, i)));
  if (c.satisfaction && c.state !== 'closed') problems.push('satisfaction on a case that is not closed');
  if (c.parsed.confidence < 0 || c.parsed.confidence > 1) problems.push('parsed.confidence outside 0..1');
  return problems;
}
