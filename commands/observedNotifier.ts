import type { CaseChange, LifecycleNotifier } from './deps';

/** Something else that hears every stored change of a case (the command centre's read model feed). */
export type CaseChangeObserver = (change: CaseChange) => Promise<void>;

/**
 * The notifier plus observers: every change reaches all of them, even when one fails (the change
 * itself is already stored); the first failure is rethrown.
 */
export function observedNotifier(notifier: LifecycleNotifier, observers: readonly CaseChangeObserver[]): LifecycleNotifier {
  if (observers.length === 0) return notifier;
  return {
    async caseChanged(change) {
      const outcomes = await Promise.allSettled([notifier.caseChanged(change), ...observers.map((o) => o(change))]);
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
    },
    duplicateMerged: (duplicate, target) => notifier.duplicateMerged(duplicate, target),
  };
}
