import type { Case } from '../src/cases';
import type { Logger } from '../infra/logger';
import { afterTransition } from './afterTransition';
import type { CaseChange, LifecycleDeps, PendingEffects } from './deps';

/** The journal as the recovery reads it: changes written down at least `olderThanMs` ago. */
export interface PendingEffectsJournal extends PendingEffects {
  due(olderThanMs: number, limit?: number): Promise<{ token: string; change: CaseChange; since: number }[]>;
}

/** True when the store holds the change: its events sit in the stored timeline right after the ones before it. */
export function wasStored(stored: Case, change: CaseChange): boolean {
  const offset = change.before?.timeline.length ?? 0;
  return change.events.every((e, i) => {
    const kept = stored.timeline[offset + i];
    return kept !== undefined && kept.type === e.type && kept.at.getTime() === e.at.getTime() && kept.actorId === e.actorId;
  });
}

/**
 * Runs the side effects of changes whose process stopped between storing them and running their
 * effects (a SIGKILLed worker, a lost machine): cards, notices, milestones and timers go out once
 * more under their idempotency keys, so whatever did go out is not repeated. A change that was
 * never stored (its process died before the save, or lost the race) is struck off. Answers how many
 * changes it ran again.
 */
export async function recoverPendingEffects(deps: LifecycleDeps, journal: PendingEffectsJournal, olderThanMs: number, logger?: Logger): Promise<number> {
  let rerun = 0;
  for (const { token, change, since } of await journal.due(olderThanMs)) {
    const stored = await deps.cases.findById(change.after.id);
    if (stored && wasStored(stored, change)) {
      logger?.warn({ caseId: change.after.id, caseNumber: change.after.number, version: change.after.version, events: change.events.map((e) => e.type), pendingMs: Date.now() - since }, 'running the side effects of a stored change whose process stopped before they ran');
      await afterTransition(deps, change.before, change.after, change.events);
      rerun += 1;
    }
    await journal.end(token);
  }
  return rerun;
}
