import type { Case, Resolution, Satisfaction, TimelineEvent } from './types';

/** The steps of a case its resident reporter is told of (the mini-program's subscribe messages). */
export const RESIDENT_MILESTONES = ['whistled', 'accepted', 'done', 'closed', 'merged', 'cancelled'] as const;
export type ResidentMilestone = (typeof RESIDENT_MILESTONES)[number];

/** The steps of a case an outside platform (the 12345 hotline) is told of. */
export type ProgressMilestone = 'accepted' | 'returned' | 'done' | 'closed' | 'satisfaction';
export const PROGRESS_MILESTONES: readonly ProgressMilestone[] = ['accepted', 'returned', 'done', 'closed', 'satisfaction'];

export interface ProgressStep {
  milestone: ProgressMilestone;
  at: Date;
  /** The lead department that accepted, returned or finished. */
  deptCode?: string;
  /** The department's result (done) or its reason (returned), as written: mask before it leaves. */
  text?: string;
  resolution?: Resolution;
  satisfaction?: Satisfaction;
}

function detail(e: TimelineEvent, key: string): string | undefined {
  const value = e.details[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isSatisfaction(value: string | undefined): value is Satisfaction {
  return value === 'satisfied' || value === 'basically' || value === 'dissatisfied';
}

/** A step of the lead department only: assisting departments' work is internal to the street. */
function leadStep(milestone: ProgressMilestone, e: TimelineEvent, textKey?: string): ProgressStep[] {
  if (e.details.role !== 'lead') return [];
  const text = textKey === undefined ? undefined : detail(e, textKey);
  return [{ milestone, at: e.at, ...(e.deptCode !== undefined && { deptCode: e.deptCode }), ...(text !== undefined && { text }) }];
}

function stepOf(e: TimelineEvent, after: Case): ProgressStep[] {
  switch (e.type) {
    case 'accepted':
      return leadStep('accepted', e);
    case 'returned':
      return leadStep('returned', e, 'reason');
    case 'feedback':
      return leadStep('done', e, 'text');
    case 'verified': {
      if (after.state !== 'closed') return [];
      const resolution = detail(e, 'resolution');
      return [{ milestone: 'closed', at: e.at, ...((resolution === 'solved' || resolution === 'unsolved') && { resolution }) }];
    }
    case 'rated': {
      const value = detail(e, 'value');
      return isSatisfaction(value) ? [{ milestone: 'satisfaction', at: e.at, satisfaction: value }] : [];
    }
    default:
      return [];
  }
}

/** The progress steps one change of a case makes, in timeline order. */
export function progressSteps(after: Case, events: readonly TimelineEvent[]): ProgressStep[] {
  return events.flatMap((e) => stepOf(e, after));
}
