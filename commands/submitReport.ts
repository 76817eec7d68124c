import { type Case, type CaseDraft, type CaseLevel, type CaseSource, type Channel, type MediaRef, type Reporter } from '../src/cases';
import { decidedDepartments, route, type RoutingDecision } from '../src/routing';
import type { Urgency } from '../src/taxonomy';
import { SYSTEM_ACTOR, reportingActor } from './actors';
import { afterTransition } from './afterTransition';
import type { LifecycleDeps } from './deps';
import { mergeDuplicate } from './mergeDuplicate';
import { transact } from './transact';

export interface ReportSubmission {
  source: CaseSource;
  channel: Channel;
  reporter: Reporter;
  districtId: string;
  streetId: string;
  communityId?: string;
  gridId?: string;
  text: string;
  media: MediaRef[];
  parsed: { category: string; urgency: Urgency; location: string | null; departments: string[]; confidence: number };
  lat?: number;
  lng?: number;
  /**
   * Makes the submission idempotent: the same key again (a confirmation resumed after its process
   * died) answers the case it stored, and routes it only if that had not happened yet.
   */
  key?: string;
  /** Community-level reports are handled by the grid member's community unless raised to the street. */
  level?: CaseLevel;
}

/** Called as soon as the case is stored, before it is merged, whistled or triaged (e.g. to record an external id). */
export interface SubmitHooks {
  onCreated?(created: Case): Promise<void>;
}

export interface SubmitOutcome {
  case: Case;
  outcome: 'whistled' | 'triage' | 'community' | 'merged';
  /** For `merged`: the open case this report repeated. */
  duplicateOf?: Case;
}

function draftOf(s: ReportSubmission, level: CaseLevel): CaseDraft {
  const category = s.parsed.category.trim();
  const location = s.parsed.location?.trim();
  return {
    districtId: s.districtId,
    streetId: s.streetId,
    ...(s.communityId !== undefined && { communityId: s.communityId }),
    ...(s.gridId !== undefined && { gridId: s.gridId }),
    source: s.source,
    reporter: s.reporter,
    text: s.text,
    media: s.media,
    parsed: {
      urgency: s.parsed.urgency,
      confidence: Math.min(1, Math.max(0, s.parsed.confidence)),
      ...(category !== '' && { category }),
      ...(location && { locationText: location }),
      ...(s.lat !== undefined && { lat: s.lat }),
      ...(s.lng !== undefined && { lng: s.lng }),
    },
    level,
  };
}

async function openDuplicateOf(deps: LifecycleDeps, c: Case): Promise<Case | undefined> {
  if (c.parsed.category === undefined) return undefined;
  return (await deps.cases.findOpenDuplicates(c, deps.config.duplicates))[0];
}

function routingOf(deps: LifecycleDeps, s: ReportSubmission, draft: CaseDraft): RoutingDecision {
  return route(
    {
      streetId: s.streetId,
      source: s.source,
      urgency: draft.parsed.urgency,
      confidence: draft.parsed.confidence,
      ...(draft.parsed.category !== undefined && { category: draft.parsed.category }),
      extraDepartments: s.parsed.departments,
    },
    deps.config.routing,
  );
}

function outcomeOf(c: Case): SubmitOutcome['outcome'] {
  if (c.state === 'merged') return 'merged';
  if (c.state === 'triage' || c.state === 'community') return c.state;
  return 'whistled';
}

/**
 * A new report: stored as a case with its number, merged into an open duplicate (reporter told),
 * left to the community, whistled to the routed departments, or put on the dispatcher's triage card.
 */
export async function submitReport(deps: LifecycleDeps, submission: ReportSubmission, hooks: SubmitHooks = {}): Promise<SubmitOutcome> {
  const now = deps.clock();
  const ctx = { actor: reportingActor(submission.source, submission.reporter, submission.communityId), channel: submission.channel, now };
  const draft = draftOf(submission, 'street');
  const decision = routingOf(deps, submission, draft);
  const level = submission.level ?? (decision.kind === 'community' ? 'community' : 'street');
  const created = await deps.cases.create({ ...draft, level, routedDepartments: decidedDepartments(decision) }, ctx, submission.key);
  await hooks.onCreated?.(created);
  // Stored and routed by an earlier try of the same submission: its effects are that try's (or the recovery's).
  if (created.timeline.length > 1) return { case: created, outcome: outcomeOf(created) };

  const duplicateOf = await openDuplicateOf(deps, created);
  if (duplicateOf) {
    const merged = await mergeDuplicate(deps, created.id, duplicateOf, SYSTEM_ACTOR, 'system');
    if (merged.ok) return { case: merged.case, outcome: 'merged', duplicateOf: (await deps.cases.findById(duplicateOf.id)) ?? duplicateOf };
  }
  if (created.state === 'community') {
    await afterTransition(deps, null, created, created.timeline);
    return { case: created, outcome: 'community' };
  }
  if (decision.kind === 'whistle') {
    const whistled = await transact(deps, () => deps.cases.findById(created.id), { type: 'whistle', departments: decision.departments }, { actor: SYSTEM_ACTOR, channel: 'system', now }, created);
    if (whistled.ok) return { case: whistled.case, outcome: 'whistled' };
  }
  const current = (await deps.cases.findById(created.id)) ?? created;
  await afterTransition(deps, null, current, current.timeline);
  return { case: current, outcome: 'triage' };
}
