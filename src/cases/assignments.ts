import { departmentName } from '../labels';
import type { Assignment, Case } from './types';
import { ACTIVE_ASSIGNMENT_STATES } from './types';

export function isActive(a: Assignment): boolean {
  return ACTIVE_ASSIGNMENT_STATES.includes(a.state);
}

export function activeAssignments(c: Case): Assignment[] {
  return c.assignments.filter(isActive);
}

export function activeLead(c: Case): Assignment | undefined {
  return c.assignments.find((a) => a.role === 'lead' && isActive(a));
}

/** Index of the department's current assignment (active first, else its latest one), or -1. */
export function assignmentIndexFor(c: Case, deptCode: string): number {
  for (let i = c.assignments.length - 1; i >= 0; i--) {
    const a = c.assignments[i];
    if (a && a.deptCode === deptCode && isActive(a)) return i;
  }
  for (let i = c.assignments.length - 1; i >= 0; i--) if (c.assignments[i]?.deptCode === deptCode) return i;
  return -1;
}

export function replaceAssignment(c: Case, index: number, patch: Partial<Assignment>): Assignment[] {
  return c.assignments.map((a, i) => (i === index ? { ...a, ...patch } : a));
}

export function withdrawActive(assignments: Assignment[]): Assignment[] {
  return assignments.map((a) => (a.state === 'pending' || a.state === 'accepted' ? { ...a, state: 'withdrawn' } : a));
}

export function acceptorLabel(a: Assignment): string {
  return a.acceptedByName ?? a.acceptedBy ?? departmentName(a.deptCode);
}
