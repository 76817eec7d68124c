import type { Actor, Case, Channel, CommandResult } from '../src/cases';
import type { LifecycleDeps } from './deps';
import { transact } from './transact';

/**
 * Merges `duplicateId` into the open case `target`: the target records the duplicate first (so a
 * target that closed meanwhile refuses before anything changes), then the duplicate closes as
 * merged and its reporter is told.
 */
export async function mergeDuplicate(deps: LifecycleDeps, duplicateId: string, target: Case, actor: Actor, channel: Channel, commandId?: string): Promise<CommandResult> {
  const duplicate = await deps.cases.findById(duplicateId);
  const base = { actor, channel, now: deps.clock() };
  const absorbed = await transact(deps, () => deps.cases.findById(target.id), { type: 'absorbDuplicate', duplicateId, ...(duplicate && { duplicateNumber: duplicate.number }) }, {
    ...base,
    ...(commandId !== undefined && { commandId: `${commandId}:absorb` }),
  });
  if (!absorbed.ok && absorbed.code !== 'already_applied') return absorbed;
  const merged = await transact(deps, () => deps.cases.findById(duplicateId), { type: 'merge', targetId: target.id, targetNumber: target.number }, {
    ...base,
    ...(commandId !== undefined && { commandId }),
  });
  if (merged.ok) {
    // The merge is stored: a failed notice is reported, never turned into a failed merge.
    await deps.notifier.duplicateMerged(merged.case, absorbed.ok ? absorbed.case : target).catch((error: unknown) => deps.sideEffectFailed({ step: 'notify', case: merged.case, error }));
  }
  return merged;
}
