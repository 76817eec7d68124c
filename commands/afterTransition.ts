import type { Case, TimelineEvent } from '../src/cases';
import type { LifecycleDeps } from './deps';

/**
 * The side effects of one successful change: chat notifications, then deadline timers. Both run
 * even if the other fails, because the change itself is already stored; the first failure is rethrown.
 */
export async function afterTransition(deps: Pick<LifecycleDeps, 'notifier' | 'deadlines'>, before: Case | null, after: Case, events: TimelineEvent[]): Promise<void> {
  const outcomes = await Promise.allSettled([deps.notifier.caseChanged({ before, after, events }), deps.deadlines.syncCase(after)]);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
}
