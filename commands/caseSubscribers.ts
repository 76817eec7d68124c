import type { CaseChange, LifecycleNotifier } from './deps';

/** Something outside the chat world that reacts to each stored change of a case (an outside platform's push). */
export type CaseChangeSubscriber = (change: CaseChange) => Promise<void>;

/**
 * The notifier, then every subscriber, each run even if another fails (the change is already
 * stored); the first failure is rethrown.
 */
export function withSubscribers(notifier: LifecycleNotifier, subscribers: readonly CaseChangeSubscriber[]): LifecycleNotifier {
  if (subscribers.length === 0) return notifier;
  return {
    async caseChanged(change) {
      const outcomes = await Promise.allSettled([notifier.caseChanged(change), ...subscribers.map((subscriber) => subscriber(change))]);
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
    },
    duplicateMerged: (duplicate, target) => notifier.duplicateMerged(duplicate, target),
  };
}
