import type { Case, CommandContext, EventDetailValue, Refusal, RefusalCode, TimelineEvent, TimelineEventType, Transition } from './types';

export function refuse(code: RefusalCode, reason: string): Refusal {
  return { ok: false, code, reason };
}

export interface EventSpec {
  type: TimelineEventType;
  deptCode?: string;
  details?: Record<string, EventDetailValue | undefined>;
}

export function timelineEvent(ctx: CommandContext, spec: EventSpec): TimelineEvent {
  const details: Record<string, EventDetailValue> = {};
  for (const [key, value] of Object.entries(spec.details ?? {})) if (value !== undefined) details[key] = value;
  return {
    type: spec.type,
    at: ctx.now,
    actorId: ctx.actor.userId,
    ...(ctx.actor.name !== undefined && { actorName: ctx.actor.name }),
    actorRole: ctx.actor.role,
    channel: ctx.channel,
    ...(spec.deptCode !== undefined && { deptCode: spec.deptCode }),
    ...(ctx.commandId !== undefined && { commandId: ctx.commandId }),
    details,
  };
}

/** The one way a command produces its result: new timeline entries appended, version bumped. */
export function commit(next: Case, ctx: CommandContext, specs: EventSpec[]): Transition {
  const events = specs.map((spec) => timelineEvent(ctx, spec));
  return {
    ok: true,
    case: { ...next, timeline: [...next.timeline, ...events], version: next.version + 1, updatedAt: ctx.now },
    events,
  };
}
