import { isActive } from '../cases/assignments';
import { OPEN_CASE_STATES, type Case, type CaseSource, type CaseState, type Satisfaction } from '../cases/types';
import { assignmentFigures, type AssignmentFigures, type Elapsed } from '../stats/figures';
import type { Urgency } from '../taxonomy';

/** A running time limit: when it started and when it falls due (the 红黄灯 are computed from these). */
export interface RunningClock {
  kind: 'accept' | 'finish' | 'verify';
  deptCode?: string;
  since: Date;
  due: Date;
}

export interface AssignmentSummary {
  deptCode: string;
  role: 'lead' | 'assisting';
  state: string;
  active: boolean;
  whistledAt: Date;
  reopenCount: number;
  pendingExtension: boolean;
  figures: AssignmentFigures;
}

/**
 * What the command centre keeps of a case in memory: enough to filter, sort, light and count
 * 100,000 cases without reading the store, and none of the timeline.
 */
export interface CaseSummary {
  id: string;
  number: string;
  version: number;
  districtId: string;
  streetId: string;
  communityId?: string;
  gridId?: string;
  source: CaseSource;
  state: CaseState;
  open: boolean;
  category?: string;
  urgency: Urgency;
  locationText?: string;
  /** Normalised place (see `locationKey`), to find the same problem reported again and again. */
  placeKey?: string;
  lat?: number;
  lng?: number;
  /** The report's text (already masked where it came masked), for searching. */
  text: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date;
  hardCase: boolean;
  /** 提级督办 asked of the district. */
  escalated: boolean;
  reporterReleased: boolean;
  satisfaction?: Satisfaction;
  assignments: AssignmentSummary[];
  clocks: RunningClock[];
}

const TEXT_KEPT = 500;

function runningClocks(c: Case): RunningClock[] {
  if (!OPEN_CASE_STATES.includes(c.state)) return [];
  const clocks: RunningClock[] = [];
  for (const a of c.assignments) {
    if (a.state === 'pending' && a.acceptDueAt) clocks.push({ kind: 'accept', deptCode: a.deptCode, since: a.whistledAt, due: a.acceptDueAt });
    if (a.state === 'accepted' && a.finishDueAt) clocks.push({ kind: 'finish', deptCode: a.deptCode, since: a.acceptedAt ?? a.whistledAt, due: a.finishDueAt });
  }
  if (c.state === 'awaiting_verification' && c.verifyDueAt) {
    const lastDone = Math.max(0, ...c.assignments.map((a) => a.doneAt?.getTime() ?? 0));
    clocks.push({ kind: 'verify', since: new Date(lastDone || c.updatedAt.getTime()), due: c.verifyDueAt });
  }
  return clocks;
}

export function summarise(c: Case, elapsed?: Elapsed): CaseSummary {
  return {
    id: c.id,
    number: c.number,
    version: c.version,
    districtId: c.districtId,
    streetId: c.streetId,
    ...(c.communityId !== undefined && { communityId: c.communityId }),
    ...(c.gridId !== undefined && { gridId: c.gridId }),
    source: c.source,
    state: c.state,
    open: OPEN_CASE_STATES.includes(c.state),
    ...(c.parsed.category !== undefined && { category: c.parsed.category }),
    urgency: c.parsed.urgency,
    ...(c.parsed.locationText !== undefined && { locationText: c.parsed.locationText }),
    ...(c.parsed.locationKey !== undefined && { placeKey: c.parsed.locationKey }),
    ...(c.parsed.lat !== undefined && { lat: c.parsed.lat }),
    ...(c.parsed.lng !== undefined && { lng: c.parsed.lng }),
    text: c.text.slice(0, TEXT_KEPT),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    ...(c.closedAt !== undefined && { closedAt: c.closedAt }),
    hardCase: c.hardCase !== undefined && c.hardCase.resolvedAt === undefined,
    escalated: c.districtEscalation !== undefined,
    reporterReleased: c.reporterRelease !== undefined,
    ...(c.satisfaction !== undefined && { satisfaction: c.satisfaction.value }),
    assignments: c.assignments.map((a) => ({
      deptCode: a.deptCode,
      role: a.role,
      state: a.state,
      active: isActive(a),
      whistledAt: a.whistledAt,
      reopenCount: a.reopenCount,
      pendingExtension: a.extensions.some((e) => e.decision === undefined),
      figures: assignmentFigures(c, a, elapsed),
    })),
    clocks: runningClocks(c),
  };
}
