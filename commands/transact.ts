import { applyCommand, type Case, type CaseCommand, type CommandContext, type CommandResult, type Refusal } from '../src/cases';
import { afterTransition } from './afterTransition';
import type { LifecycleDeps } from './deps';

export const NOT_FOUND: Refusal = { ok: false, code: 'not_found', reason: '没有找到该案件，请核对案件编号' };
const CONFLICT: Refusal = { ok: false, code: 'conflict', reason: '该案件正被他人同时处理，请稍后再试' };

function latestEventAt(c: Case): number {
  return c.timeline[c.timeline.length - 1]?.at.getTime() ?? 0;
}

/**
 * Load → apply → conditional save, retried on a lost race. Every attempt re-reads the case, so a
 * command that lost to a concurrent one is judged against the new state (e.g. "已由…接哨").
 * The event time never goes behind the case's last event, keeping the timeline ordered.
 * `loaded` saves the first read when the caller has just read the case.
 */
export async function transact(deps: LifecycleDeps, load: () => Promise<Case | null>, command: CaseCommand, ctx: CommandContext, loaded?: Case): Promise<CommandResult> {
  // One write of a case at a time in this process: after waiting for another, the case is read again.
  const turn = loaded && deps.caseTurns ? await deps.caseTurns.take(loaded.id) : undefined;
  try {
    return await attempts(deps, load, command, ctx, turn?.waited ? undefined : loaded, () => turn?.release());
  } finally {
    turn?.release();
  }
}

async function attempts(deps: LifecycleDeps, load: () => Promise<Case | null>, command: CaseCommand, ctx: CommandContext, loaded: Case | undefined, written: () => void): Promise<CommandResult> {
  for (let attempt = 0; attempt <= deps.config.maxConflictRetries; attempt++) {
    const before = attempt === 0 && loaded ? loaded : await load();
    if (!before) return NOT_FOUND;
    const now = new Date(Math.max(ctx.now.getTime(), latestEventAt(before)));
    const plan = ctx.plan ?? deps.config.plan;
    const result = applyCommand(before, command, { ...ctx, now, ...(plan !== undefined && { plan }) });
    if (!result.ok) return result;
    // Written down first, so the effects of a stored change outlive a process that dies before they ran.
    const pending = await deps.pendingEffects?.begin({ before, after: result.case, events: result.events });
    const saved = await deps.cases.saveTransition(before, result.case, result.events);
    // The next writer of the case need not wait for this change's side effects.
    if (saved) written();
    if (saved) await afterTransition(deps, before, result.case, result.events);
    if (pending !== undefined) await deps.pendingEffects?.end(pending).catch(() => undefined); // left behind, the effects only run again (idempotent)
    if (saved) return result;
  }
  return CONFLICT;
}
