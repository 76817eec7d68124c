import { locationKey } from './duplicates';
import { timelineEvent } from './transition';
import type { Case, CommandContext, MediaRef, ParsedFields } from './types';

export type CaseDraft = Pick<Case, 'districtId' | 'streetId' | 'communityId' | 'gridId' | 'source' | 'reporter' | 'text' | 'level' | 'routedDepartments'> & {
  media?: MediaRef[];
  parsed: Omit<ParsedFields, 'locationKey'>;
};

/** A new case waits for the community (community level) or the street dispatcher (street level). */
export function createCase(draft: CaseDraft, identity: { id: string; number: string }, ctx: CommandContext): Case {
  const key = locationKey(draft.parsed.locationText);
  const created = timelineEvent(ctx, {
    type: 'created',
    details: { source: draft.source, level: draft.level, category: draft.parsed.category ?? null, urgency: draft.parsed.urgency },
  });
  return {
    id: identity.id,
    number: identity.number,
    districtId: draft.districtId,
    streetId: draft.streetId,
    ...(draft.communityId !== undefined && { communityId: draft.communityId }),
    ...(draft.gridId !== undefined && { gridId: draft.gridId }),
    source: draft.source,
    reporter: { ...draft.reporter },
    text: draft.text,
    media: [...(draft.media ?? [])],
    parsed: { ...draft.parsed, ...(key !== undefined && { locationKey: key }) },
    level: draft.level,
    state: draft.level === 'community' ? 'community' : 'triage',
    assignments: [],
    counters: { returns: 0, reopenings: 0, extensions: 0 },
    mergedDuplicates: [],
    ...(draft.routedDepartments !== undefined && { routedDepartments: [...draft.routedDepartments] }),
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 0,
    timeline: [created],
  };
}
